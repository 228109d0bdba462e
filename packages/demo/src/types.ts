/** What the generator produces and records. */

export type DemoSource = 'support-web' | 'coding-ide';

export const DEMO_SOURCES: readonly DemoSource[] = ['support-web', 'coding-ide'];

/** One event to send, with the source (write key) it is sent under. */
export interface DemoRecord {
  source: DemoSource;
  event: Record<string, unknown>;
  /** Set on deliberately invalid events: why the server must quarantine it. */
  invalid?: string;
  /** Set when the event is a client retry of one already emitted (same event_id): stored once. */
  resend?: true;
}

/** The PII and secret types the generator plants, named as the curation redactor names them. */
export type PlantedType = 'EMAIL' | 'PHONE' | 'CREDIT_CARD' | 'IBAN' | 'SECRET' | 'URL_CREDENTIALS';

/**
 * One planted value and where it was first sent: the event id and a JSON pointer to the string
 * that holds it. A value reappears in later events of the same conversation (history, echoes in
 * the model's answer, the user's final code); a PII canary therefore searches for the value
 * everywhere, not only at its first location.
 */
export interface PlantedValue {
  value: string;
  type: PlantedType;
  /** The shape planted, e.g. `stripe_secret_key`, `postgres_url`, `nanp_parens`. */
  subtype: string;
  source: DemoSource;
  eventId: string;
  pointer: string;
}

/** Counts kept while generating; the runner prints them and tests check them. */
export interface TrafficStats {
  events: number;
  bySource: Record<DemoSource, number>;
  byType: Record<string, number>;
  /** Sessions with at least one event produced. */
  sessions: Record<DemoSource, number>;
  /** Users who started a session (the last sessions may have been cut before their first event). */
  users: Record<DemoSource, number>;
  /** Deliberately invalid events, by reason. */
  invalid: Record<string, number>;
  /** Client retries of an already emitted event (same event_id). */
  resends: number;
  planted: Record<string, number>;
  /** First user prompts repeated verbatim / with a small edit from an earlier session. */
  duplicatePrompts: { exact: number; near: number };
  consent: { granted: number; revoked: number; declined: number };
  erasureRequests: number;
}

export function emptyStats(): TrafficStats {
  return {
    events: 0, bySource: { 'support-web': 0, 'coding-ide': 0 }, byType: {}, sessions: { 'support-web': 0, 'coding-ide': 0 },
    users: { 'support-web': 0, 'coding-ide': 0 }, invalid: {}, resends: 0, planted: {}, duplicatePrompts: { exact: 0, near: 0 },
    consent: { granted: 0, revoked: 0, declined: 0 }, erasureRequests: 0,
  };
}

export const sumCounts = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
