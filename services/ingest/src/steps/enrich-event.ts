import type { IngestedEvent } from '@sluice/core';
import { dateTimeMillis } from '@sluice/schemas';

export interface EnrichContext {
  tenant: string;
  source: string;
  receivedAt: number;
  /** The batch-level sent_at (epoch ms), used when an event has none of its own. */
  batchSentAt: number | null;
  clientIp: string | null;
}

const optionalString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * Turns a valid event into the stored record: tenant and source from the write key, received_at,
 * and a clock-skew-corrected timestamp. A device clock that is off shifts occurred_at and sent_at
 * alike, so received_at − (sent_at − occurred_at) is the event time on the server's clock.
 * Without sent_at there is nothing to correct with and occurred_at is taken as is. Either way a
 * timestamp beyond received_at + maxFutureSkewMs is clamped to received_at.
 */
export function createEnrichEventStep(deps: { maxFutureSkewMs: number }) {
  return function enrichEvent(event: Record<string, unknown>, type: string, context: EnrichContext): IngestedEvent {
    const occurredAt = dateTimeMillis(event.occurred_at as string);
    const ownSentAt = typeof event.sent_at === 'string' ? dateTimeMillis(event.sent_at) : Number.NaN;
    const sentAt = Number.isNaN(ownSentAt) ? context.batchSentAt : ownSentAt;
    let timestamp = sentAt === null ? occurredAt : context.receivedAt - (sentAt - occurredAt);
    if (timestamp > context.receivedAt + deps.maxFutureSkewMs) timestamp = context.receivedAt;
    return {
      eventId: (event.event_id as string).toLowerCase(),
      tenant: context.tenant,
      source: context.source,
      type,
      occurredAt,
      sentAt,
      receivedAt: context.receivedAt,
      timestamp,
      userId: optionalString(event.user_id),
      anonymousId: optionalString(event.anonymous_id),
      sessionId: optionalString(event.session_id),
      traceId: optionalString(event.trace_id),
      parentId: optionalString(event.parent_id),
      clientIp: context.clientIp,
      payload: event,
    };
  };
}
