import type { IngestedEvent } from '@sluice/core';
import type { DuckDbDatabase } from './database.ts';
import { eventRow, INSERT_EVENTS } from './event-insert.ts';
import { BODY_SEPARATOR, ENTRY_SEPARATOR, splitBodies, wellFormed, type IngestLogEvent } from './ingest-log.ts';
import { isDataRefused, MaterializeMismatch } from './materialize-errors.ts';

/*
 * What older versions staged, read at open or when their records are materialised:
 * - rows of the `ingest_log` table (before docs/decisions/0010), format 1 (whole bodies as a JSON
 *   array) or format 2 (accepted entries split by separator bytes, as records still are);
 * - staging-log records of version 1 (before decision 0013): format-2 bodies and meta.
 * Their meta lists every column per entry: seqs, and times as epoch ms.
 */
export const INGEST_LOG_FORMAT = 2;

interface LegacyMeta {
  tn: string; src: string; r: number; ip: string | null;
  s: number[]; id: string[]; t: string[]; o: number[]; se: Array<number | null>; ts: number[];
  u: Array<string | null>; a: Array<string | null>; ss: Array<string | null>; tr: Array<string | null>; p: Array<string | null>;
}

const LEGACY_META_TYPE = JSON.stringify([{
  tn: 'VARCHAR', src: 'VARCHAR', r: 'BIGINT', ip: 'VARCHAR',
  s: ['BIGINT'], id: ['UUID'], t: ['VARCHAR'], o: ['BIGINT'], se: ['BIGINT'], ts: ['BIGINT'],
  u: ['VARCHAR'], a: ['VARCHAR'], ss: ['VARCHAR'], tr: ['VARCHAR'], p: ['VARCHAR'],
}]);

/** The INSERT that turns split bodies (`body`) and their legacy meta (`m`), zipped by `source`, into events. */
function materialize(source: string): string {
  return `
  INSERT INTO events
  SELECT s, id, tn, src, t, make_timestamp(o * 1000), make_timestamp(se * 1000), make_timestamp(r * 1000),
         make_timestamp(ts * 1000), u, a, ss, tr, p, ip, e
  FROM (
    SELECT m.tn, m.src, m.r, m.ip,
           unnest(m.s) AS s, unnest(m.id) AS id, unnest(m.t) AS t, unnest(m.o) AS o, unnest(m.se) AS se, unnest(m.ts) AS ts,
           unnest(m.u) AS u, unnest(m.a) AS a, unnest(m.ss) AS ss, unnest(m.tr) AS tr, unnest(m.p) AS p,
           unnest(string_split(body, chr(${ENTRY_SEPARATOR}))) AS e
    FROM (${source})
  )`;
}

/** MATERIALIZE_EVENTS for version-1 staging-log records (same parameters). */
export const MATERIALIZE_LEGACY_EVENTS = materialize(`
  SELECT unnest(string_split(decode($1::BLOB), chr(${BODY_SEPARATOR}))) AS body, unnest(from_json(decode($2::BLOB), '${LEGACY_META_TYPE}')) AS m`);

/**
 * The same from the format-2 row `$1` of the ingest_log table. Rows of another format yield
 * nothing here, so the count check sends them to the JS path.
 */
export const MATERIALIZE_INGEST_LOG_ROW = materialize(`
  SELECT unnest(string_split(decode(bodies), chr(${BODY_SEPARATOR}))) AS body, unnest(from_json(meta, '${LEGACY_META_TYPE}')) AS m
  FROM ingest_log WHERE log_seq = $1 AND format = ${INGEST_LOG_FORMAT}`);

/**
 * Versions before docs/decisions/0010 staged acknowledged bodies in the `ingest_log` table. At
 * open, whatever such a version left there goes into `events`, one row per transaction that also
 * deletes it (exactly once across crashes), before the ids and sequences are loaded. Rows DuckDB
 * cannot take as they are (format 1, or a body it reads differently) go through JSON.parse in JS.
 */
export async function materializeLegacyIngestLog(db: DuckDbDatabase): Promise<number> {
  const rows = await db.query<{ log_seq: number; events: number }>('SELECT log_seq::DOUBLE AS log_seq, events FROM ingest_log ORDER BY log_seq');
  for (const { log_seq: logSeq, events } of rows) {
    const inSql = await db.transaction(async () => {
      const inserted = await db.run(MATERIALIZE_INGEST_LOG_ROW, [logSeq]);
      if (inserted !== events) throw new MaterializeMismatch(`${inserted} events materialised, ${events} expected`);
      await db.run('DELETE FROM ingest_log WHERE log_seq = $1', [logSeq]);
      return true;
    }).catch((error: unknown) => {
      if (isDataRefused(error)) return false;
      throw error;
    });
    if (inSql) continue;
    await db.transaction(async () => {
      const [row] = await db.writeQuery<{ format: number; bodies: Uint8Array; meta: string }>(
        'SELECT format, bodies, meta FROM ingest_log WHERE log_seq = $1', [logSeq]);
      if (row) {
        const parsed = eventsOfIngestLogRow(row.format, row.bodies, row.meta).map((e) => eventRow(e.event, e.seq, e.payload));
        if (parsed.length > 0) await db.run(INSERT_EVENTS, [JSON.stringify(parsed)]);
      }
      await db.run('DELETE FROM ingest_log WHERE log_seq = $1', [logSeq]);
    });
  }
  return rows.length;
}

/**
 * Reads an ingest_log row or a version-1 record (format 2) back in JS (JSON.parse semantics, as
 * validated). Lone UTF-16 surrogates become U+FFFD, as DuckDB stores text as UTF-8 only.
 */
export function eventsOfIngestLogRow(format: number, bodies: Uint8Array, meta: string): IngestLogEvent[] {
  return format === INGEST_LOG_FORMAT ? eventsOfRow(bodies, meta) : eventsOfFormat1Row(bodies, meta);
}

function eventsOfRow(bodies: Uint8Array, meta: string): IngestLogEvent[] {
  const texts = splitBodies(bodies);
  const metas = wellFormed(JSON.parse(meta)) as LegacyMeta[];
  return metas.flatMap((m, b) => m.s.map((seq, i) => ({ seq, payload: wellFormed(JSON.parse(texts[b]![i]!)), event: envelope(m, i) })));
}

/** Format 1: the bodies as one JSON array; the meta arrays are indexed by position in `events` (null: not accepted). */
function eventsOfFormat1Row(bodies: Uint8Array, meta: string): IngestLogEvent[] {
  const parsedBodies = JSON.parse(Buffer.from(bodies).toString('utf8')) as Array<{ events: unknown[] }>;
  const metas = wellFormed(JSON.parse(meta)) as Array<Omit<LegacyMeta, 's'> & { s: Array<number | null> }>;
  return metas.flatMap((m, b) => m.s.flatMap((seq, i) => (seq === null
    ? []
    : [{ seq, payload: wellFormed(parsedBodies[b]!.events[i]), event: envelope(m, i) }])));
}

function envelope(m: Omit<LegacyMeta, 's'>, i: number): Omit<IngestedEvent, 'payload'> {
  return {
    eventId: m.id[i]!, tenant: m.tn, source: m.src, type: m.t[i]!, occurredAt: m.o[i]!, sentAt: m.se[i] ?? null,
    receivedAt: m.r, timestamp: m.ts[i]!, userId: m.u[i] ?? null, anonymousId: m.a[i] ?? null,
    sessionId: m.ss[i] ?? null, traceId: m.tr[i] ?? null, parentId: m.p[i] ?? null, clientIp: m.ip,
  };
}
