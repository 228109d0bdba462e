import type { StoredEvent } from '@sluice/core';
import type { Row } from './database.ts';

/** The events columns as read back: times as epoch ms, ids as text. */
export const EVENT_COLUMNS = `ingest_seq::DOUBLE AS ingest_seq, event_id::VARCHAR AS event_id, tenant, source, type,
  epoch_ms(occurred_at)::DOUBLE AS occurred_at, epoch_ms(sent_at)::DOUBLE AS sent_at,
  epoch_ms(received_at)::DOUBLE AS received_at, epoch_ms(timestamp)::DOUBLE AS timestamp,
  user_id, anonymous_id, session_id, trace_id, parent_id, client_ip, payload`;

export function toStoredEvent(row: Row): StoredEvent {
  return {
    ingestSeq: row.ingest_seq as number,
    eventId: row.event_id as string,
    tenant: row.tenant as string,
    source: row.source as string,
    type: row.type as string,
    occurredAt: row.occurred_at as number,
    sentAt: (row.sent_at as number | null) ?? null,
    receivedAt: row.received_at as number,
    timestamp: row.timestamp as number,
    userId: (row.user_id as string | null) ?? null,
    anonymousId: (row.anonymous_id as string | null) ?? null,
    sessionId: (row.session_id as string | null) ?? null,
    traceId: (row.trace_id as string | null) ?? null,
    parentId: (row.parent_id as string | null) ?? null,
    clientIp: (row.client_ip as string | null) ?? null,
    payload: JSON.parse(row.payload as string) as Record<string, unknown>,
  };
}
