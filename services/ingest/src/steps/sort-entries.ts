import type { IngestedEvent, QuarantinedEvent } from '@sluice/core';
import type { EventValidator } from '@sluice/schemas';
import { createEnrichEventStep, type EnrichContext } from './enrich-event.ts';
import { createValidateEventsStep, type RejectedEvent } from './validate-events.ts';

/** A batch's entries sorted into stored events and quarantined ones, with what the answer needs. */
export interface SortedEntries {
  /** The valid entries, enriched, in order. */
  events: IngestedEvent[];
  /** Each event's index in the batch's `events` array. */
  positions: number[];
  quarantine: QuarantinedEvent[];
  /** Each event's type, for the metrics. */
  types: string[];
  /** Each rejected entry's type as far as it can be read ('unknown' otherwise), for the metrics. */
  rejectedTypes: string[];
  /** Rejected entries by their index in the input, without the raw payload (that goes to quarantine). */
  rejected: Array<Omit<RejectedEvent, 'raw'>>;
}

/**
 * Validates each entry on its own, enriches the valid ones and turns the rest into quarantine
 * rows: one bad event never rejects the others. Pure, so it runs on the ingest thread or on the
 * preparation thread alike.
 */
export function createSortEntriesStep(deps: { validateEvent: EventValidator; maxFutureSkewMs: number }) {
  const validateEvents = createValidateEventsStep({ validateEvent: deps.validateEvent });
  const enrichEvent = createEnrichEventStep({ maxFutureSkewMs: deps.maxFutureSkewMs });

  return function sortEntries(entries: readonly unknown[], context: EnrichContext): SortedEntries {
    const { valid, rejected } = validateEvents(entries);
    const events = valid.map((v) => enrichEvent(v.event, v.type, context));
    return {
      events,
      positions: valid.map((v) => v.index),
      quarantine: rejected.map((r) => ({
        tenant: context.tenant, source: context.source, receivedAt: context.receivedAt, eventId: r.event_id ?? null,
        code: r.code, pointer: r.pointer, message: r.message, payload: r.raw,
      })),
      types: events.map((e) => e.type),
      rejectedTypes: rejected.map((r) => rejectedType(r.raw)),
      rejected: rejected.map(({ raw: _raw, ...rest }) => rest),
    };
  };
}

function rejectedType(raw: unknown): string {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  return typeof type === 'string' && type.length <= 40 ? type : 'unknown';
}
