import type { IngestedEvent, QuarantinedEvent } from '@sluice/core';

/*
 * Direct inserts: rows travel as ONE JSON text parameter that DuckDB's json extension unnests in
 * C++ off the Node main thread (measured in docs/decisions/0002-embedded-group-commit.md). Used
 * for events that arrive without their request body (OTLP, the Kafka lander) and for quarantine.
 */
const EVENT_ROW_TYPE = JSON.stringify([{
  s: 'BIGINT', id: 'UUID', tn: 'VARCHAR', src: 'VARCHAR', t: 'VARCHAR', o: 'BIGINT', se: 'BIGINT', r: 'BIGINT',
  ts: 'BIGINT', u: 'VARCHAR', a: 'VARCHAR', ss: 'VARCHAR', tr: 'VARCHAR', p: 'VARCHAR', ip: 'VARCHAR', e: 'JSON',
}]);
export const INSERT_EVENTS = `
  INSERT INTO events
  SELECT s, id, tn, src, t, make_timestamp(o * 1000), make_timestamp(se * 1000), make_timestamp(r * 1000),
         make_timestamp(ts * 1000), u, a, ss, tr, p, ip, e
  FROM (SELECT unnest(from_json($1::VARCHAR, '${EVENT_ROW_TYPE}'), recursive := true))`;

const QUARANTINE_ROW_TYPE = JSON.stringify([{
  s: 'BIGINT', tn: 'VARCHAR', src: 'VARCHAR', r: 'BIGINT', id: 'VARCHAR', c: 'VARCHAR', ptr: 'VARCHAR', m: 'VARCHAR', e: 'VARCHAR',
}]);
export const INSERT_QUARANTINE = `
  INSERT INTO quarantine
  SELECT s, tn, src, make_timestamp(r * 1000), id, c, ptr, m, e
  FROM (SELECT unnest(from_json($1::VARCHAR, '${QUARANTINE_ROW_TYPE}'), recursive := true))`;

/** `payload` is the parsed event object (from_json's JSON type serialises it into the column). */
export function eventRow(e: Omit<IngestedEvent, 'payload'>, seq: number, payload: unknown): Record<string, unknown> {
  return {
    s: seq, id: e.eventId, tn: e.tenant, src: e.source, t: e.type, o: e.occurredAt, se: e.sentAt, r: e.receivedAt,
    ts: e.timestamp, u: e.userId, a: e.anonymousId, ss: e.sessionId, tr: e.traceId, p: e.parentId, ip: e.clientIp,
    e: payload,
  };
}

export function quarantineRow(q: QuarantinedEvent, seq: number): Record<string, unknown> {
  return {
    s: seq, tn: q.tenant, src: q.source, r: q.receivedAt, id: q.eventId, c: q.code, ptr: q.pointer, m: q.message,
    e: JSON.stringify(q.payload) ?? 'null',
  };
}
