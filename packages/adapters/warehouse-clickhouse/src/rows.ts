import type { IngestedEvent, QuarantinedEvent, StoredEvent, StoredQuarantinedEvent } from '@sluice/core';
import type { Row } from './database.ts';

/*
 * Mapping between domain records and table rows. Times travel as epoch-ms integers: ClickHouse
 * reads an integer into DateTime64(3) as milliseconds since the epoch (UTC), and
 * toUnixTimestamp64Milli gives them back, so no string formatting or time zone is involved.
 * Selected expressions get names unlike any column: ClickHouse lets an alias shadow a column in
 * WHERE, and `toString(event_id) AS event_id` would change what a filter on event_id means.
 */
export const EVENT_COLUMNS = `ingest_seq AS seq, toString(event_id) AS id, tenant AS tn, source AS src, type AS t,
  toUnixTimestamp64Milli(occurred_at) AS occurred_ms, toUnixTimestamp64Milli(sent_at) AS sent_ms,
  toUnixTimestamp64Milli(received_at) AS received_ms, toUnixTimestamp64Milli(timestamp) AS timestamp_ms,
  user_id AS u, anonymous_id AS a, session_id AS ss, trace_id AS tr, parent_id AS p, client_ip AS ip, payload AS body`;

export const QUARANTINE_COLUMNS = `quarantine_seq AS seq, tenant AS tn, source AS src,
  toUnixTimestamp64Milli(received_at) AS received_ms, event_id AS id, code AS c, pointer AS ptr, message AS m, payload AS body`;

export function eventRow(e: IngestedEvent, seq: number): Row {
  return {
    tenant: e.tenant, source: e.source, type: e.type, occurred_at: e.occurredAt, event_id: e.eventId, ingest_seq: seq,
    sent_at: e.sentAt, received_at: e.receivedAt, timestamp: e.timestamp, user_id: e.userId, anonymous_id: e.anonymousId,
    session_id: e.sessionId, trace_id: e.traceId, parent_id: e.parentId, client_ip: e.clientIp, payload: JSON.stringify(e.payload),
  };
}

export function quarantineRow(q: QuarantinedEvent, seq: number): Row {
  return {
    tenant: q.tenant, source: q.source, quarantine_seq: seq, received_at: q.receivedAt, event_id: q.eventId, code: q.code,
    pointer: q.pointer, message: q.message, payload: JSON.stringify(q.payload) ?? 'null',
  };
}

export function toStoredEvent(row: Row): StoredEvent {
  return {
    ingestSeq: Number(row.seq),
    eventId: row.id as string,
    tenant: row.tn as string,
    source: row.src as string,
    type: row.t as string,
    occurredAt: Number(row.occurred_ms),
    sentAt: row.sent_ms === null ? null : Number(row.sent_ms),
    receivedAt: Number(row.received_ms),
    timestamp: Number(row.timestamp_ms),
    userId: row.u as string | null,
    anonymousId: row.a as string | null,
    sessionId: row.ss as string | null,
    traceId: row.tr as string | null,
    parentId: row.p as string | null,
    clientIp: row.ip as string | null,
    payload: JSON.parse(row.body as string) as Record<string, unknown>,
  };
}

export function toStoredQuarantine(row: Row): StoredQuarantinedEvent {
  return {
    quarantineSeq: Number(row.seq),
    tenant: row.tn as string,
    source: row.src as string,
    receivedAt: Number(row.received_ms),
    eventId: row.id as string | null,
    code: row.c as string,
    pointer: row.ptr as string,
    message: row.m as string,
    payload: JSON.parse(row.body as string) as unknown,
  };
}
