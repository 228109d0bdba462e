import { createHash } from 'node:crypto';
import type { IngestedEvent, QuarantinedEvent } from '@sluice/core';

/*
 * Insert deduplication tokens derived from content, for appends whose caller has none of its own
 * (the Kafka lander passes `topic-partition-firstOffset-lastOffset`). Sorted, so the same rows
 * re-batched in another order still carry the same token; prefixed, so they never collide with a
 * caller's token. ClickHouse keeps tokens per table, so one token may serve both tables.
 */

export function eventsDedupToken(events: readonly IngestedEvent[]): string {
  const keys = events.map((e) => `${e.tenant}\u0000${e.source}\u0000${e.eventId.toLowerCase()}`).sort();
  return `events-sha256-${sha256(keys.join('\n'))}`;
}

/** Quarantined events have no id, so the whole record is the identity (received_at included). */
export function quarantineDedupToken(rows: readonly QuarantinedEvent[]): string {
  const keys = rows
    .map((q) => JSON.stringify([q.tenant, q.source, q.receivedAt, q.eventId, q.code, q.pointer, q.message, JSON.stringify(q.payload) ?? null]))
    .sort();
  return `quarantine-sha256-${sha256(keys.join('\n'))}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
