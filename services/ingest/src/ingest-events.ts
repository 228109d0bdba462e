import { SluiceError, type AppendOutcome, type EventLog } from '@sluice/core';
import type { EventValidator } from '@sluice/schemas';
import type { WriteKeyIdentity } from './authenticate-write-key.ts';
import type { IngestMetrics } from './metrics.ts';
import { createSortEntriesStep } from './steps/sort-entries.ts';
import type { RejectedEvent } from './steps/validate-events.ts';

export interface IngestRequestContext {
  writeKey: WriteKeyIdentity;
  receivedAt: number;
  /** The request-level sent_at (epoch ms), used for events without their own. */
  batchSentAt: number | null;
  clientIp: string | null;
  /**
   * The request body's bytes when its top-level `events` array is exactly `entries`, so the event
   * log may store them instead of re-serialising each event (see received-body.ts).
   */
  body?: Uint8Array | null;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  /** Rejected entries by their index in the input, without the raw payload (that goes to quarantine). */
  rejected: Array<Omit<RejectedEvent, 'raw'>>;
}

/** The per-request event cap, shared by every ingest route. */
export function assertEventCount(count: number, maxEventsPerBatch: number): void {
  if (count > maxEventsPerBatch) {
    throw new SluiceError('SLUICE_ERR_BATCH_TOO_MANY_EVENTS', `${count} events in one request; the limit is ${maxEventsPerBatch}`);
  }
}

/** What a request handed to the event log: the wait for durability, and what its answer reports. */
export interface HandedOver {
  appended: Promise<AppendOutcome>;
  types: readonly string[];
  rejectedTypes: readonly string[];
  rejected: IngestResult['rejected'];
}

/**
 * The ingest core behind every route that takes events: validate each entry on its own, enrich
 * the valid ones, quarantine the rest, and resolve only once the event log says all of it is
 * durable. Routes differ in how they turn a request into entries, not in what happens next.
 */
export function createEventIngestion(deps: {
  eventLog: EventLog;
  validateEvent: EventValidator;
  metrics: IngestMetrics;
  maxFutureSkewMs: number;
}) {
  const sortEntries = createSortEntriesStep({ validateEvent: deps.validateEvent, maxFutureSkewMs: deps.maxFutureSkewMs });

  /**
   * Validation, enrichment and the hand-over to the event log, in a frame of its own that ends
   * before the wait: while the log makes the events durable (a Kafka acknowledgement takes
   * ~20 ms under load), the request keeps only the types and the rejections for its answer, not
   * the parsed entries. Entries held that long outlived young-generation collections and were
   * promoted: V8's GC threads spent 1.6-1.9 µs per event instead of 0.2 in Kafka mode
   * (docs/decisions/0019).
   */
  function handOver(entries: readonly unknown[], context: IngestRequestContext): HandedOver {
    const { writeKey, receivedAt } = context;
    const { events, positions, quarantine, types, rejectedTypes, rejected } = sortEntries(entries, {
      tenant: writeKey.tenant, source: writeKey.source, receivedAt, batchSentAt: context.batchSentAt, clientIp: context.clientIp,
    });
    const bodies = context.body ? [{ json: context.body, positions }] : undefined;
    return { appended: deps.eventLog.append({ events, quarantine, ...(bodies ? { bodies } : {}) }), types, rejectedTypes, rejected };
  }

  // Not an async function itself: a suspended one keeps its parameters (the entries) alive.
  return function ingestEvents(entries: readonly unknown[], context: IngestRequestContext): Promise<IngestResult> {
    try {
      return answerIngest(handOver(entries, context), context.writeKey.source, deps.metrics);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

export type EventIngestion = ReturnType<typeof createEventIngestion>;

/** The answer, once the event log has made the handed-over events durable. */
export async function answerIngest({ appended, types, rejectedTypes, rejected }: HandedOver, source: string, metrics: IngestMetrics): Promise<IngestResult> {
  const { duplicate } = await appended;
  const acceptedTypes: string[] = [];
  const duplicateTypes: string[] = [];
  for (let i = 0; i < types.length; i++) (duplicate[i] ? duplicateTypes : acceptedTypes).push(types[i]!);
  metrics.countEvents('accepted', source, acceptedTypes);
  metrics.countEvents('duplicate', source, duplicateTypes);
  metrics.countEvents('rejected', source, rejectedTypes);
  return { accepted: acceptedTypes.length, duplicates: duplicateTypes.length, rejected };
}
