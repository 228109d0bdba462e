import { PendingPlants } from '../content/planter.ts';
import { uuidV7 } from '../ids.ts';
import type { Random } from '../random.ts';
import type { DemoRecord, DemoSource, PlantedValue } from '../types.ts';

/** What an event counts towards in the traffic stats, tallied when (and only if) the event is actually produced. */
export type Tally = 'consent_granted' | 'consent_revoked' | 'consent_declined' | 'erasure_request' | 'duplicate_exact' | 'duplicate_near';

/** An event of a session with the time it happens at, and the planted values it carries first. */
export interface TimedRecord {
  at: number;
  record: DemoRecord;
  planted: PlantedValue[];
  tally?: Tally;
}

export interface SessionIdentity {
  source: DemoSource;
  /** Signed-in user; absent for anonymous visitors. */
  userId?: string;
  anonymousId?: string;
  sessionId: string;
  context: Record<string, unknown>;
}

/**
 * Writes one session's events in time order: fills the envelope (UUIDv7 event id from the event's
 * own time, RFC 3339 timestamp, user, session, context) and records each planted value in the
 * first event that carries it, with a JSON pointer to the string that holds it.
 */
export class SessionWriter {
  readonly plants = new PendingPlants();
  readonly records: TimedRecord[] = [];
  readonly random: Random;
  readonly identity: SessionIdentity;
  time: number;

  constructor(random: Random, identity: SessionIdentity, start: number) {
    this.random = random;
    this.identity = identity;
    this.time = Math.round(start);
  }

  /** Lets `ms` pass (user think time, model latency). */
  wait(ms: number): void {
    this.time += Math.max(1, Math.round(ms));
  }

  emit(type: string, fields: Record<string, unknown>, options: { session?: boolean; context?: boolean; tally?: Tally | undefined } = {}): Record<string, unknown> {
    const { identity } = this;
    const event: Record<string, unknown> = {
      event_id: uuidV7(this.time, this.random),
      type,
      occurred_at: new Date(this.time).toISOString(),
      ...(identity.userId === undefined ? { anonymous_id: identity.anonymousId } : { user_id: identity.userId }),
      ...(options.session === false ? {} : { session_id: identity.sessionId }),
      ...(options.context === false ? {} : { context: identity.context }),
      ...fields,
    };
    const planted: PlantedValue[] = [];
    const pending = this.plants.pending;
    for (let i = pending.length - 1; i >= 0; i--) {
      const draw = pending[i]!;
      const pointer = pointerTo(event, draw.value);
      if (pointer === null) continue;
      planted.push({ ...draw, source: identity.source, eventId: event.event_id as string, pointer });
      pending.splice(i, 1);
    }
    this.records.push({ at: this.time, record: { source: identity.source, event }, planted, ...(options.tally ? { tally: options.tally } : {}) });
    return event;
  }
}

const escapePointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** JSON pointer (RFC 6901) to the first string inside `value` that contains `needle`, or null. */
export function pointerTo(value: unknown, needle: string, path = ''): string | null {
  if (typeof value === 'string') return value.includes(needle) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, child] of entries) {
    const found = pointerTo(child, needle, `${path}/${escapePointer(key)}`);
    if (found !== null) return found;
  }
  return null;
}

/** The value at a JSON pointer, for tests and registry checks. */
export function valueAt(value: unknown, pointer: string): unknown {
  let current = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
