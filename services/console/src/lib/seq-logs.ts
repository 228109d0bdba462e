import type { EventQuery, StoredEvent, StoredQuarantinedEvent, Warehouse } from '@sluice/core';
import type { SeqLog } from './seq-window.ts';

export type EventFilter = Pick<EventQuery, 'tenant' | 'source' | 'type' | 'userId' | 'sessionId'>;

/** Stored events matching `filter`, in ingest order, through the Warehouse port. */
export function eventsBySeq(warehouse: Warehouse, filter: EventFilter = {}): SeqLog<StoredEvent> {
  return {
    after: (afterSeq, limit) => warehouse.listEvents({ ...filter, afterSeq, limit, order: 'asc' }),
    seqOf: (e) => e.ingestSeq,
    timeOf: (e) => e.receivedAt,
  };
}

/** Quarantined events of one source (or all), in quarantine order. */
export function quarantineBySeq(warehouse: Warehouse, filter: { source?: string } = {}): SeqLog<StoredQuarantinedEvent> {
  return {
    after: (afterSeq, limit) => warehouse.listQuarantine({ ...filter, afterSeq, limit }),
    seqOf: (q) => q.quarantineSeq,
    timeOf: (q) => q.receivedAt,
  };
}
