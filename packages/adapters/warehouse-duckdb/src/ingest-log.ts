import type { IngestedEvent } from '@sluice/core';
import type { ScratchBuffer } from './scratch-buffer.ts';

/**
 * What the embedded store stages (docs/decisions/0005, 0010, 0013). A group commit goes into ONE
 * staging-log record: the accepted entries of its request bodies as the client's bytes, and a
 * small JSON `meta` with, per body, the ingest_seq and envelope of its accepted entries, computed
 * in JS.
 *
 * `bodies` is every accepted entry's bytes, copied out of its request body, separated by 0x1E,
 * with 0x1D between bodies. Neither byte can occur in JSON text (raw control characters are not
 * allowed in strings or as whitespace), so DuckDB splits them with `string_split` in one linear
 * pass and never parses or re-serialises a payload. Records of older versions (another meta
 * layout) are read by legacy-ingest-log.ts.
 */
export const ENTRY_SEPARATOR = 0x1e;
export const BODY_SEPARATOR = 0x1d;

/**
 * The envelope columns of a body's meta (decision 0013, written by prepared-body.ts): each is
 * either one value for the whole body (`<key>1`) or a list with one per entry (`<key>`). `s`, the
 * seq of the body's first entry (`s1`; the seqs run on from it), is added when the record is
 * made; records of older versions may hold an `s` list instead (seq minus the entry's index).
 */
export const ENVELOPE_COLUMNS = {
  t: { type: 'VARCHAR', value: (e: IngestedEvent) => e.type },
  o: { type: 'BIGINT', value: (e: IngestedEvent) => e.receivedAt - e.occurredAt },
  se: { type: 'BIGINT', value: (e: IngestedEvent) => (e.sentAt === null ? null : e.receivedAt - e.sentAt) },
  ts: { type: 'BIGINT', value: (e: IngestedEvent) => e.receivedAt - e.timestamp },
  u: { type: 'VARCHAR', value: (e: IngestedEvent) => e.userId },
  a: { type: 'VARCHAR', value: (e: IngestedEvent) => e.anonymousId },
  ss: { type: 'VARCHAR', value: (e: IngestedEvent) => e.sessionId },
  tr: { type: 'VARCHAR', value: (e: IngestedEvent) => e.traceId },
  p: { type: 'VARCHAR', value: (e: IngestedEvent) => e.parentId },
} as const;
export type EnvelopeColumn = keyof typeof ENVELOPE_COLUMNS;
const COLUMNS = { s: { type: 'BIGINT' }, ...ENVELOPE_COLUMNS } as const;
type Column = keyof typeof COLUMNS;
type BodyMeta = { tn: string; src: string; r: number; ip: string | null; id: string[] } & Record<string, unknown>;

const META_TYPE = JSON.stringify([{
  tn: 'VARCHAR', src: 'VARCHAR', r: 'BIGINT', ip: 'VARCHAR', id: ['UUID'],
  ...Object.fromEntries(Object.entries(COLUMNS).flatMap(([key, { type }]) => [[key, [type]], [`${key}1`, type]])),
}]);

/** A column's value for entry `i` of the body: from the list, or the body's one value. */
const value = (key: Column): string => `coalesce(${key}, ${key}1)`;
const time = (key: Column): string => `make_timestamp((r - ${value(key)}) * 1000)`;

/**
 * Turns staging-log records into events: `$1` is their bodies joined (a BLOB, 0x1D between
 * bodies), `$2` their meta arrays joined into one JSON array (also a BLOB: no JS string is made).
 * DuckDB splits the bodies into entries and unnests them side by side with the meta lists (it
 * zips unnests in one SELECT and pads a missing list with NULLs, where the body's one value
 * applies). Payloads are copied as text: nothing parses or re-serialises them.
 */
export const MATERIALIZE_EVENTS = `
  INSERT INTO events
  SELECT ${value('s')} + i, id, tn, src, ${value('t')}, ${time('o')}, ${time('se')}, make_timestamp(r * 1000), ${time('ts')},
         ${value('u')}, ${value('a')}, ${value('ss')}, ${value('tr')}, ${value('p')}, ip, e
  FROM (
    SELECT m.tn, m.src, m.r, m.ip, ${Object.keys(COLUMNS).map((key) => `m.${key}1, unnest(m.${key}) AS ${key}`).join(', ')},
           unnest(range(len(m.id))) AS i, unnest(m.id) AS id, unnest(string_split(body, chr(${ENTRY_SEPARATOR}))) AS e
    FROM (
      SELECT unnest(string_split(decode($1::BLOB), chr(${BODY_SEPARATOR}))) AS body, unnest(from_json(decode($2::BLOB), '${META_TYPE}')) AS m
    )
  )`;

/**
 * Several records' bodies and meta as the two parameters of MATERIALIZE_EVENTS (or of the legacy
 * statement, for records of the older layout), written into `scratch` (valid until its next use).
 */
export function joinRecords(records: ReadonlyArray<{ bodies: Uint8Array; meta: Uint8Array }>, scratch: ScratchBuffer): { bodies: Uint8Array; meta: Uint8Array } {
  if (records.length === 1) return { bodies: records[0]!.bodies, meta: records[0]!.meta };
  // Bodies already lying in a row need no copy; only the meta arrays are joined then.
  const adjacent = adjacentBodies(records);
  const bodies = adjacent ? [] : records.flatMap((record, i) => (i > 0 ? [BODY_SEPARATOR_BYTES, record.bodies] : [record.bodies]));
  const meta: Uint8Array[] = [OPEN_BRACKET];
  records.forEach((record, i) => {
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
  return { bodies: adjacent ?? out.subarray(0, bodiesLength), meta: out.subarray(bodiesLength) };
}

/**
 * The records' bodies as one view when they already lie one after another in memory with the body
 * separator between them (records the staging log holds, appended in a row: staging-log.ts), else
 * null.
 */
function adjacentBodies(records: ReadonlyArray<{ bodies: Uint8Array }>): Uint8Array | null {
  const first = records[0]!.bodies;
  let end = first.byteOffset + first.length;
  for (let i = 1; i < records.length; i++) {
    const { bodies } = records[i]!;
    if (bodies.buffer !== first.buffer || bodies.byteOffset !== end + 1 || new Uint8Array(first.buffer, end, 1)[0] !== BODY_SEPARATOR) return null;
    end = bodies.byteOffset + bodies.length;
  }
  return new Uint8Array(first.buffer, first.byteOffset, end - first.byteOffset);
}

const BODY_SEPARATOR_BYTES = Uint8Array.of(BODY_SEPARATOR);
const OPEN_BRACKET = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE_BRACKET = Buffer.from(']');

/** A body can be staged as one unit only when its events share what the meta keeps once per body. */
export function sharesBodyFields(a: IngestedEvent, b: IngestedEvent): boolean {
  return a.tenant === b.tenant && a.source === b.source && a.receivedAt === b.receivedAt && a.clientIp === b.clientIp;
}

export interface IngestLogEvent { event: Omit<IngestedEvent, 'payload'>; seq: number; payload: unknown }

/**
 * Reads a record back in JS (JSON.parse semantics, as validated): the fallback when DuckDB refuses
 * a record. Lone UTF-16 surrogates become U+FFFD, as DuckDB stores text as UTF-8 only.
 */
export function eventsOfRecord(bodies: Uint8Array, meta: Uint8Array): IngestLogEvent[] {
  const texts = splitBodies(bodies);
  const metas = wellFormed(JSON.parse(Buffer.from(meta).toString('utf8'))) as BodyMeta[];
  return metas.flatMap((m, b) => {
    const entries = texts[b]!;
    const at = (key: Column, i: number): unknown => (Array.isArray(m[key]) ? (m[key] as unknown[])[i] : m[`${key}1`]) ?? null;
    const before = (key: Column, i: number): number | null => (at(key, i) === null ? null : m.r - (at(key, i) as number));
    return m.id.map((eventId, i) => ({
      seq: (at('s', i) as number) + i,
      payload: wellFormed(JSON.parse(entries[i]!)),
      event: {
        eventId, tenant: m.tn, source: m.src, type: at('t', i) as string, occurredAt: before('o', i)!, sentAt: before('se', i),
        receivedAt: m.r, timestamp: before('ts', i)!, userId: at('u', i) as string | null, anonymousId: at('a', i) as string | null,
        sessionId: at('ss', i) as string | null, traceId: at('tr', i) as string | null, parentId: at('p', i) as string | null, clientIp: m.ip,
      },
    }));
  });
}

/** The entries' texts per body, split at the separator bytes. */
export function splitBodies(bodies: Uint8Array): string[][] {
  return Buffer.from(bodies).toString('utf8').split(String.fromCharCode(BODY_SEPARATOR))
    .map((body) => body.split(String.fromCharCode(ENTRY_SEPARATOR)));
}

/** The value with every string (keys included) made well-formed UTF-16. */
export function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.toWellFormed();
  if (Array.isArray(value)) return value.map(wellFormed);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toWellFormed(), wellFormed(v)]));
  }
  return value;
}
