import type {
  AppendBatch, AppendOutcome, CurationStore, EventQuery, IngestedEvent, QuarantineQuery, QuarantinedEvent,
  StoredEvent, StoredQuarantinedEvent, Warehouse,
} from '@sluice/core';
import { createDuckDbCurationStore } from './curation-store.ts';
import { DuckDbDatabase, type Row } from './database.ts';
import { EVENT_COLUMNS, toStoredEvent } from './event-rows.ts';
import { UuidSet } from './uuid-set.ts';

export interface DuckDbWarehouseOptions {
  /** A file path, or ':memory:' for tests that need no durability. */
  path: string;
  checkpointThreshold?: string;
}

/*
 * Bulk load: a whole group commit travels as ONE JSON text parameter that DuckDB's json extension
 * unnests in C++ off the Node main thread. Measured against the row appender (which runs on the
 * main thread) and per-column list parameters in docs/decisions/0002-embedded-group-commit.md.
 */
const EVENT_ROW_TYPE = JSON.stringify([{
  s: 'BIGINT', id: 'UUID', tn: 'VARCHAR', src: 'VARCHAR', t: 'VARCHAR', o: 'BIGINT', se: 'BIGINT', r: 'BIGINT',
  ts: 'BIGINT', u: 'VARCHAR', a: 'VARCHAR', ss: 'VARCHAR', tr: 'VARCHAR', p: 'VARCHAR', ip: 'VARCHAR', e: 'JSON',
}]);
const INSERT_EVENTS = `
  INSERT INTO events
  SELECT s, id, tn, src, t, make_timestamp(o * 1000), make_timestamp(se * 1000), make_timestamp(r * 1000),
         make_timestamp(ts * 1000), u, a, ss, tr, p, ip, e
  FROM (SELECT unnest(from_json($1::VARCHAR, '${EVENT_ROW_TYPE}'), recursive := true))`;

const QUARANTINE_ROW_TYPE = JSON.stringify([{
  s: 'BIGINT', tn: 'VARCHAR', src: 'VARCHAR', r: 'BIGINT', id: 'VARCHAR', c: 'VARCHAR', ptr: 'VARCHAR', m: 'VARCHAR', e: 'VARCHAR',
}]);
const INSERT_QUARANTINE = `
  INSERT INTO quarantine
  SELECT s, tn, src, make_timestamp(r * 1000), id, c, ptr, m, e
  FROM (SELECT unnest(from_json($1::VARCHAR, '${QUARANTINE_ROW_TYPE}'), recursive := true))`;

export type DuckDbWarehouse = Warehouse & CurationStore;

export async function createDuckDbWarehouse(options: DuckDbWarehouseOptions): Promise<DuckDbWarehouse> {
  const db = await DuckDbDatabase.open(options.path, { checkpointThreshold: options.checkpointThreshold ?? '64MB' });
  const storedIds = new Map<string, UuidSet>();
  for await (const rows of db.scan('SELECT tenant, source, event_id::VARCHAR FROM events')) {
    for (const [tenant, source, id] of rows as Array<[string, string, string]>) idsOf(storedIds, tenant, source).add(id);
  }
  const [seqs] = await db.query<{ events: number; quarantine: number }>(
    `SELECT greatest((SELECT coalesce(max(ingest_seq), 0) FROM events), (SELECT coalesce(max(max_erased_seq), 0) FROM erasures))::DOUBLE AS events,
            (SELECT coalesce(max(quarantine_seq), 0)::DOUBLE FROM quarantine) AS quarantine`);
  let lastEventSeq = seqs?.events ?? 0;
  let lastQuarantineSeq = seqs?.quarantine ?? 0;

  async function append(batch: AppendBatch): Promise<AppendOutcome> {
    const duplicate: boolean[] = [];
    const fresh: IngestedEvent[] = [];
    const inBatch = new Map<string, Set<string>>();
    for (const event of batch.events) {
      const key = idsKey(event.tenant, event.source);
      const id = event.eventId.toLowerCase();
      let seen = inBatch.get(key);
      if (!seen) inBatch.set(key, (seen = new Set()));
      const isDuplicate = seen.has(id) || (storedIds.get(key)?.has(id) ?? false);
      duplicate.push(isDuplicate);
      if (!isDuplicate) {
        seen.add(id);
        fresh.push(event);
      }
    }
    if (fresh.length === 0 && batch.quarantine.length === 0) return { duplicate };

    const eventRows = fresh.map((e, i) => eventRow(e, lastEventSeq + 1 + i));
    const quarantineRows = batch.quarantine.map((q, i) => quarantineRow(q, lastQuarantineSeq + 1 + i));
    // One statement is its own transaction: skip BEGIN / COMMIT (two round trips to DuckDB's
    // thread per commit) unless both tables are written.
    const writes: Array<[string, string]> = [];
    if (eventRows.length > 0) writes.push([INSERT_EVENTS, JSON.stringify(eventRows)]);
    if (quarantineRows.length > 0) writes.push([INSERT_QUARANTINE, JSON.stringify(quarantineRows)]);
    await db.transaction(async () => {
      for (const [sql, json] of writes) await db.run(sql, [json]);
    }, { implicit: writes.length === 1 });
    // Only a committed batch advances the sequences and the id index.
    lastEventSeq += fresh.length;
    lastQuarantineSeq += quarantineRows.length;
    for (const event of fresh) idsOf(storedIds, event.tenant, event.source).add(event.eventId);
    return { duplicate };
  }

  async function listEvents(query: EventQuery): Promise<StoredEvent[]> {
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: query.limit };
    const filter = (column: string, name: string, value: string | number | undefined, op = '='): void => {
      if (value === undefined) return;
      where.push(`${column} ${op} $${name}`);
      params[name] = value;
    };
    filter('ingest_seq', 'after', query.afterSeq, '>');
    filter('tenant', 'tenant', query.tenant);
    filter('source', 'source', query.source);
    filter('type', 'type', query.type);
    filter('user_id', 'user', query.userId);
    filter('session_id', 'session', query.sessionId);
    const order = query.order === 'desc' ? 'DESC' : 'ASC';
    const rows = await db.query(
      `SELECT ${EVENT_COLUMNS} FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ingest_seq ${order} LIMIT $limit`, params);
    return rows.map(toStoredEvent);
  }

  async function listQuarantine(query: QuarantineQuery): Promise<StoredQuarantinedEvent[]> {
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: query.limit };
    if (query.afterSeq !== undefined) { where.push('quarantine_seq > $after'); params.after = query.afterSeq; }
    if (query.tenant !== undefined) { where.push('tenant = $tenant'); params.tenant = query.tenant; }
    if (query.source !== undefined) { where.push('source = $source'); params.source = query.source; }
    const rows = await db.query(
      `SELECT quarantine_seq::DOUBLE AS quarantine_seq, tenant, source, epoch_ms(received_at)::DOUBLE AS received_at,
              event_id, code, pointer, message, payload
       FROM quarantine ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY quarantine_seq LIMIT $limit`, params);
    return rows.map(toStoredQuarantine);
  }

  return {
    kind: 'duckdb',
    ...createDuckDbCurationStore(db),
    append,
    listEvents,
    listQuarantine,
    ping: async () => { await db.query('SELECT 1'); },
    close: () => db.close(),
  };
}

function idsKey(tenant: string, source: string): string {
  return `${tenant}\u0000${source}`;
}

function idsOf(map: Map<string, UuidSet>, tenant: string, source: string): UuidSet {
  const key = idsKey(tenant, source);
  let set = map.get(key);
  if (!set) map.set(key, (set = new UuidSet()));
  return set;
}

function eventRow(e: IngestedEvent, seq: number): Record<string, unknown> {
  return {
    s: seq, id: e.eventId, tn: e.tenant, src: e.source, t: e.type, o: e.occurredAt, se: e.sentAt, r: e.receivedAt,
    ts: e.timestamp, u: e.userId, a: e.anonymousId, ss: e.sessionId, tr: e.traceId, p: e.parentId, ip: e.clientIp,
    e: e.payload,
  };
}

function quarantineRow(q: QuarantinedEvent, seq: number): Record<string, unknown> {
  return {
    s: seq, tn: q.tenant, src: q.source, r: q.receivedAt, id: q.eventId, c: q.code, ptr: q.pointer, m: q.message,
    e: JSON.stringify(q.payload) ?? 'null',
  };
}

function toStoredQuarantine(row: Row): StoredQuarantinedEvent {
  return {
    quarantineSeq: row.quarantine_seq as number,
    tenant: row.tenant as string,
    source: row.source as string,
    receivedAt: row.received_at as number,
    eventId: (row.event_id as string | null) ?? null,
    code: row.code as string,
    pointer: row.pointer as string,
    message: row.message as string,
    payload: JSON.parse(row.payload as string) as unknown,
  };
}
