import { SluiceError } from '@sluice/core';
import { dateTimeMillis, isRfc3339DateTime } from '@sluice/schemas';
import { assertEventCount } from './ingest-events.ts';

/** A /v1/batch body's parts: its entries, unchecked, and its sent_at (epoch ms) when it has one. */
export interface BatchParts {
  events: unknown[];
  sentAt: number | null;
}

/**
 * Checks the batch's own shape, not its events (they are validated one by one): an object with an
 * `events` array of at most `maxEventsPerBatch` entries and an optional RFC 3339 `sent_at`.
 */
export function readBatch(body: unknown, maxEventsPerBatch: number): BatchParts {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray((body as { events?: unknown }).events)) {
    throw new SluiceError('SLUICE_ERR_BATCH_INVALID');
  }
  const { events, sent_at: sentAt } = body as { events: unknown[]; sent_at?: unknown };
  assertEventCount(events.length, maxEventsPerBatch);
  if (sentAt !== undefined && !(typeof sentAt === 'string' && isRfc3339DateTime(sentAt))) {
    throw new SluiceError('SLUICE_ERR_BATCH_INVALID', 'sent_at must be an RFC 3339 date-time');
  }
  return { events, sentAt: typeof sentAt === 'string' ? dateTimeMillis(sentAt) : null };
}
