import { SluiceError, type EventLog, type QuarantinedEvent } from '@sluice/core';
import type { EventValidator } from '@sluice/schemas';
import type { WriteKeyIdentity } from './authenticate-write-key.ts';
import type { IngestMetrics } from './metrics.ts';
import { createEnrichEventStep } from './steps/enrich-event.ts';
import { createValidateEventsStep, type RejectedEvent } from './steps/validate-events.ts';

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
  const validateEvents = createValidateEventsStep({ validateEvent: deps.validateEvent });
  const enrichEvent = createEnrichEventStep({ maxFutureSkewMs: deps.maxFutureSkewMs });

  /**
   * Validation, enrichment and the hand-over to the event log, in a frame of its own that ends
   * before the wait: while the log makes the events durable (a Kafka acknowledgement takes
   * ~20 ms under load), the request keeps only the types and the rejections for its answer, not
   * the parsed entries. Entries held that long outlived young-generation collections and were
   * promoted: V8's GC threads spent 1.6-1.9 µs per event instead of 0.2 in Kafka mode
   * (docs/decisions/0019).
   */
  function handOver(entries: readonly unknown[], context: IngestRequestContext) {
    const { writeKey, receivedAt } = context;
    const enrichContext = {
      tenant: writeKey.tenant, source: writeKey.source, receivedAt, batchSentAt: context.batchSentAt, clientIp: context.clientIp,
    };
    const { valid, rejected } = validateEvents(entries);
    const events = valid.map((v) => enrichEvent(v.event, v.type, enrichContext));
    const quarantine: QuarantinedEvent[] = rejected.map((r) => ({
      tenant: writeKey.tenant, source: writeKey.source, receivedAt, eventId: r.event_id ?? null,
      code: r.code, pointer: r.pointer, message: r.message, payload: r.raw,
    }));
    const bodies = context.body ? [{ json: context.body, positions: valid.map((v) => v.index) }] : undefined;
    return {
      appended: deps.eventLog.append({ events, quarantine, ...(bodies ? { bodies } : {}) }),
      types: events.map((e) => e.type),
      rejectedTypes: rejected.map((r) => rejectedType(r.raw)),
      rejected: rejected.map(({ raw: _raw, ...rest }) => rest),
    };
  }

  /** The answer, once the event log has made the handed-over events durable. */
  async function answer({ appended, types, rejectedTypes, rejected }: ReturnType<typeof handOver>, source: string): Promise<IngestResult> {
    const { duplicate } = await appended;
    const acceptedTypes: string[] = [];
    const duplicateTypes: string[] = [];
    for (let i = 0; i < types.length; i++) (duplicate[i] ? duplicateTypes : acceptedTypes).push(types[i]!);
    deps.metrics.countEvents('accepted', source, acceptedTypes);
    deps.metrics.countEvents('duplicate', source, duplicateTypes);
    deps.metrics.countEvents('rejected', source, rejectedTypes);
    return { accepted: acceptedTypes.length, duplicates: duplicateTypes.length, rejected };
  }

  // Not an async function itself: a suspended one keeps its parameters (the entries) alive.
  return function ingestEvents(entries: readonly unknown[], context: IngestRequestContext): Promise<IngestResult> {
    try {
      return answer(handOver(entries, context), context.writeKey.source);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

export type EventIngestion = ReturnType<typeof createEventIngestion>;

function rejectedType(raw: unknown): string {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  return typeof type === 'string' && type.length <= 40 ? type : 'unknown';
}
