import { eventSlices, type IngestedEvent } from '@sluice/core';
import type { ScratchBuffer } from './scratch-buffer.ts';

/**
 * What the embedded store stages (docs/decisions/0005, 0010). A group commit goes into ONE
 * staging-log record (before 0010: one `ingest_log` row): the accepted entries of its request bodies as the client's bytes, and a small
 * JSON `meta` with, per body and per accepted entry, the ingest_seq and envelope computed in JS.
 *
 * `bodies` (format 2) is every accepted entry's bytes, copied out of its request body, separated
 * by 0x1E, with 0x1D between bodies. Neither byte can occur in JSON text (raw control characters
 * are not allowed in strings or as whitespace), so DuckDB splits the column with `string_split`
 * in one linear pass and never parses or re-serialises a payload. Format 1 rows (the whole bodies
 * as a JSON array, positions in the meta) may still be in the ingest_log table of an older version:
 * those are read in JS.
 */
export const INGEST_LOG_FORMAT = 2;

/** The accepted events of one body, each with its position in the body's `events` array and its seq. */
export interface StagedBody {
  json: Uint8Array;
  entries: Array<{ position: number; event: IngestedEvent; seq: number }>;
}

/** Per body; the arrays have one element per accepted entry, in the order of `bodies`. */
interface BodyMeta {
  tn: string; src: string; r: number; ip: string | null;
  s: number[]; id: string[]; t: string[]; o: number[]; se: Array<number | null>; ts: number[];
  u: Array<string | null>; a: Array<string | null>; ss: Array<string | null>; tr: Array<string | null>; p: Array<string | null>;
}

const META_TYPE = JSON.stringify([{
  tn: 'VARCHAR', src: 'VARCHAR', r: 'BIGINT', ip: 'VARCHAR',
  s: ['BIGINT'], id: ['UUID'], t: ['VARCHAR'], o: ['BIGINT'], se: ['BIGINT'], ts: ['BIGINT'],
  u: ['VARCHAR'], a: ['VARCHAR'], ss: ['VARCHAR'], tr: ['VARCHAR'], p: ['VARCHAR'],
}]);

const ENTRY_SEPARATOR = 0x1e;
const BODY_SEPARATOR = 0x1d;

/** The INSERT that turns split bodies (`body`) and their meta (`m`), zipped by `source`, into events. */
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

/**
 * Turns staging-log records into events: `$1` is their bodies joined (a BLOB, 0x1D between
 * bodies), `$2` their meta arrays joined into one JSON array (also a BLOB: no JS string is made).
 * DuckDB splits the bodies into entries and unnests them side by side with the meta arrays (it zips
 * unnests in one SELECT). Payloads are copied as text: nothing parses or re-serialises them.
 */
export const MATERIALIZE_EVENTS = materialize(`
  SELECT unnest(string_split(decode($1::BLOB), chr(${BODY_SEPARATOR}))) AS body, unnest(from_json(decode($2::BLOB), '${META_TYPE}')) AS m`);

/**
 * The same from the format-2 row `$1` of the ingest_log table, where versions before decision 0010
 * staged. Rows of another format yield nothing here, so the count check sends them to the JS path.
 */
export const MATERIALIZE_INGEST_LOG_ROW = materialize(`
  SELECT unnest(string_split(decode(bodies), chr(${BODY_SEPARATOR}))) AS body, unnest(from_json(meta, '${META_TYPE}')) AS m
  FROM ingest_log WHERE log_seq = $1 AND format = ${INGEST_LOG_FORMAT}`);

/**
 * Several records' bodies and meta as the two parameters of MATERIALIZE_EVENTS, written into
 * `scratch` (valid until its next use).
 */
export function joinRecords(records: ReadonlyArray<{ bodies: Uint8Array; meta: Uint8Array }>, scratch: ScratchBuffer): { bodies: Uint8Array; meta: Uint8Array } {
  if (records.length === 1) return { bodies: records[0]!.bodies, meta: records[0]!.meta };
  const bodies: Uint8Array[] = [];
  const meta: Uint8Array[] = [OPEN_BRACKET];
  records.forEach((record, i) => {
    if (i > 0) bodies.push(BODY_SEPARATOR_BYTES);
    bodies.push(record.bodies);
    if (i > 0) meta.push(COMMA);
    // Each meta is a JSON array `[…]` (JSON.stringify output): keep what is between the brackets.
    meta.push(record.meta.subarray(1, record.meta.length - 1));
  });
  meta.push(CLOSE_BRACKET);
  const bodiesLength = bodies.reduce((n, part) => n + part.length, 0);
  const out = scratch.take(bodiesLength + meta.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of [...bodies, ...meta]) {
    out.set(part, at);
    at += part.length;
  }
  return { bodies: out.subarray(0, bodiesLength), meta: out.subarray(bodiesLength) };
}

const BODY_SEPARATOR_BYTES = Uint8Array.of(BODY_SEPARATOR);
const OPEN_BRACKET = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE_BRACKET = Buffer.from(']');

/** The `bodies` and `meta` of one staging-log record (once an ingest_log row). */
export function ingestLogRow(bodies: readonly StagedBody[]): { bodies: Buffer; meta: string; events: number } {
  const texts = bodies.map(entryTexts);
  let size = 0;
  for (const entries of texts) for (const entry of entries) size += entry.length + 1;
  const out = Buffer.allocUnsafe(Math.max(size - 1, 0));
  let at = 0;
  for (const entries of texts) {
    entries.forEach((entry, k) => {
      if (at > 0) out[at++] = k === 0 ? BODY_SEPARATOR : ENTRY_SEPARATOR;
      out.set(entry, at);
      at += entry.length;
    });
  }
  const events = bodies.reduce((n, body) => n + body.entries.length, 0);
  return { bodies: out, meta: JSON.stringify(bodies.map(bodyMeta)), events };
}

/**
 * The accepted entries' bytes: views into the request body, found by a byte scanner. A body the
 * scanner refuses (a lone UTF-16 surrogate escape, which DuckDB's UTF-8 text cannot hold) has its
 * parsed entries serialised instead, with such characters replaced by U+FFFD.
 */
function entryTexts(body: StagedBody): Uint8Array[] {
  const slices = eventSlices(body.json);
  if (slices && body.entries.every((e) => e.position < slices.starts.length)) {
    return body.entries.map(({ position: i }) => body.json.subarray(slices.starts[i], slices.ends[i]));
  }
  return body.entries.map((e) => Buffer.from(JSON.stringify(wellFormed(e.event.payload))));
}

function bodyMeta(body: StagedBody): BodyMeta {
  const first = body.entries[0]!.event;
  const meta: BodyMeta = {
    tn: first.tenant, src: first.source, r: first.receivedAt, ip: first.clientIp,
    s: [], id: [], t: [], o: [], se: [], ts: [], u: [], a: [], ss: [], tr: [], p: [],
  };
  for (const { event: e, seq } of body.entries) {
    meta.s.push(seq); meta.id.push(e.eventId); meta.t.push(e.type); meta.o.push(e.occurredAt); meta.se.push(e.sentAt);
    meta.ts.push(e.timestamp); meta.u.push(e.userId); meta.a.push(e.anonymousId); meta.ss.push(e.sessionId);
    meta.tr.push(e.traceId); meta.p.push(e.parentId);
  }
  return meta;
}

/** A body can be staged as one unit only when its events share what the meta keeps once per body. */
export function sharesBodyFields(a: IngestedEvent, b: IngestedEvent): boolean {
  return a.tenant === b.tenant && a.source === b.source && a.receivedAt === b.receivedAt && a.clientIp === b.clientIp;
}

export interface IngestLogEvent { event: Omit<IngestedEvent, 'payload'>; seq: number; payload: unknown }

/**
 * Reads an ingest_log row back in JS (JSON.parse semantics, as validated): the fallback when
 * DuckDB refuses a row, and the reader of format-1 rows. Lone UTF-16 surrogates become U+FFFD, as
 * DuckDB stores text as UTF-8 only.
 */
export function eventsOfIngestLogRow(format: number, bodies: Uint8Array, meta: string): IngestLogEvent[] {
  return format === INGEST_LOG_FORMAT ? eventsOfRow(bodies, meta) : eventsOfFormat1Row(bodies, meta);
}

function eventsOfRow(bodies: Uint8Array, meta: string): IngestLogEvent[] {
  const texts = Buffer.from(bodies).toString('utf8').split(String.fromCharCode(BODY_SEPARATOR));
  const metas = wellFormed(JSON.parse(meta)) as BodyMeta[];
  return metas.flatMap((m, b) => {
    const entries = texts[b]!.split(String.fromCharCode(ENTRY_SEPARATOR));
    return m.s.map((seq, i) => ({ seq, payload: wellFormed(JSON.parse(entries[i]!)), event: envelope(m, i) }));
  });
}

/** Format 1: the bodies as one JSON array; the meta arrays are indexed by position in `events` (null: not accepted). */
function eventsOfFormat1Row(bodies: Uint8Array, meta: string): IngestLogEvent[] {
  const parsedBodies = JSON.parse(Buffer.from(bodies).toString('utf8')) as Array<{ events: unknown[] }>;
  const metas = wellFormed(JSON.parse(meta)) as Array<Omit<BodyMeta, 's'> & { s: Array<number | null> }>;
  return metas.flatMap((m, b) => m.s.flatMap((seq, i) => (seq === null
    ? []
    : [{ seq, payload: wellFormed(parsedBodies[b]!.events[i]), event: envelope(m, i) }])));
}

function envelope(m: Omit<BodyMeta, 's'>, i: number): Omit<IngestedEvent, 'payload'> {
  return {
    eventId: m.id[i]!, tenant: m.tn, source: m.src, type: m.t[i]!, occurredAt: m.o[i]!, sentAt: m.se[i] ?? null,
    receivedAt: m.r, timestamp: m.ts[i]!, userId: m.u[i] ?? null, anonymousId: m.a[i] ?? null,
    sessionId: m.ss[i] ?? null, traceId: m.tr[i] ?? null, parentId: m.p[i] ?? null, clientIp: m.ip,
  };
}

/** The value with every string (keys included) made well-formed UTF-16. */
function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.toWellFormed();
  if (Array.isArray(value)) return value.map(wellFormed);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toWellFormed(), wellFormed(v)]));
  }
  return value;
}
