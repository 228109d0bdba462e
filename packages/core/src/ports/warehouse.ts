import type { IngestedEvent, QuarantinedEvent, StoredEvent, StoredQuarantinedEvent } from '../events.ts';

export interface AppendBatch {
  events: readonly IngestedEvent[];
  quarantine: readonly QuarantinedEvent[];
}

export interface AppendOutcome {
  /** Per entry of `events`: true when (source, eventId) was already stored, or repeated earlier in the batch. */
  duplicate: readonly boolean[];
}

export interface EventQuery {
  limit: number;
  /** Only events with ingestSeq greater than this (tailing). */
  afterSeq?: number;
  tenant?: string;
  source?: string;
  type?: string;
  userId?: string;
  sessionId?: string;
  /** 'asc' (default) for tailing from afterSeq, 'desc' for the newest first. */
  order?: 'asc' | 'desc';
}

export interface QuarantineQuery {
  limit: number;
  afterSeq?: number;
  tenant?: string;
  source?: string;
}

/**
 * The Warehouse port: the append-only store of raw events and quarantined ones.
 * `append` is atomic (all of a batch or nothing) and idempotent per (source, eventId);
 * it resolves only once the batch is durable. Infrastructure failures throw
 * SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE').
 */
export interface Warehouse {
  readonly kind: string;
  append(batch: AppendBatch): Promise<AppendOutcome>;
  listEvents(query: EventQuery): Promise<StoredEvent[]>;
  listQuarantine(query: QuarantineQuery): Promise<StoredQuarantinedEvent[]>;
  /** Resolves when the store answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
