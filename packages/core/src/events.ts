/** Domain records that flow from ingest to the warehouse. Times are epoch milliseconds (UTC). */

/** A valid event, enriched at ingest, as the warehouse stores it. */
export interface IngestedEvent {
  /** Client-generated UUID, lower-cased; with `source` it is the idempotency key. */
  eventId: string;
  tenant: string;
  source: string;
  type: string;
  occurredAt: number;
  sentAt: number | null;
  receivedAt: number;
  /** Clock-skew-corrected time of the event: receivedAt − (sentAt − occurredAt), clamped. */
  timestamp: number;
  userId: string | null;
  anonymousId: string | null;
  sessionId: string | null;
  traceId: string | null;
  parentId: string | null;
  clientIp: string | null;
  /** The event exactly as the client sent it. */
  payload: Readonly<Record<string, unknown>>;
}

/** A rejected event, kept with the reason so that nothing is silently dropped. */
export interface QuarantinedEvent {
  tenant: string;
  source: string;
  receivedAt: number;
  /** The event_id the client sent, when it had one that reads as a string. */
  eventId: string | null;
  code: string;
  /** JSON pointer to the offending part of the event. */
  pointer: string;
  message: string;
  /** The raw event as received (any JSON value). */
  payload: unknown;
}

export interface StoredEvent extends IngestedEvent {
  /** Monotonically increasing position in the warehouse's append order. */
  ingestSeq: number;
}

export interface StoredQuarantinedEvent extends QuarantinedEvent {
  quarantineSeq: number;
}
