import type { IngestedEvent } from '@sluice/core';

/**
 * The staging side of the embedded store (docs/decisions/0005): a group commit's request bodies
 * go into ONE `ingest_log` row as the client's bytes (a JSON array of the bodies), next to a small
 * JSON `meta` that says, per body and per entry of its `events` array, whether the entry was
 * accepted and with which ingest_seq and envelope. Nothing re-serialises the payloads on the Node
 * main thread; the materialiser unnests them inside DuckDB later.
 */

/** The accepted events of one body, each with its position in the body's `events` array and its seq. */
export interface StagedBody {
  json: Uint8Array;
  entries: Array<{ position: number; event: IngestedEvent; seq: number }>;
}

interface BodyMeta {
  tn: string; src: string; r: number; ip: string | null;
  s: Array<number | null>; id: Array<string | null>; t: Array<string | null>;
  o: Array<number | null>; se: Array<number | null>; ts: Array<number | null>;
  u: Array<string | null>; a: Array<string | null>; ss: Array<string | null>; tr: Array<string | null>; p: Array<string | null>;
}

const META_TYPE = JSON.stringify([{
  tn: 'VARCHAR', src: 'VARCHAR', r: 'BIGINT', ip: 'VARCHAR',
  s: ['BIGINT'], id: ['UUID'], t: ['VARCHAR'], o: ['BIGINT'], se: ['BIGINT'], ts: ['BIGINT'],
  u: ['VARCHAR'], a: ['VARCHAR'], ss: ['VARCHAR'], tr: ['VARCHAR'], p: ['VARCHAR'],
}]);

/**
 * Turns the ingest_log rows up to `$1` into events. Per body, the entries of `events` and the meta
 * arrays are unnested side by side (DuckDB zips unnests in one SELECT); entries without a seq were
 * duplicates or invalid and are skipped.
 */
export const MATERIALIZE_EVENTS = `
  INSERT INTO events
  SELECT s, id, tn, src, t, make_timestamp(o * 1000), make_timestamp(se * 1000), make_timestamp(r * 1000),
         make_timestamp(ts * 1000), u, a, ss, tr, p, ip, e
  FROM (
    SELECT m.tn, m.src, m.r, m.ip,
           unnest(m.s) AS s, unnest(m.id) AS id, unnest(m.t) AS t, unnest(m.o) AS o, unnest(m.se) AS se, unnest(m.ts) AS ts,
           unnest(m.u) AS u, unnest(m.a) AS a, unnest(m.ss) AS ss, unnest(m.tr) AS tr, unnest(m.p) AS p,
           unnest(from_json(body->'events', '["JSON"]')) AS e
    FROM (
      SELECT unnest(from_json(decode(bodies), '["JSON"]')) AS body, unnest(from_json(meta, '${META_TYPE}')) AS m
      FROM ingest_log WHERE log_seq <= $1
    )
  )
  WHERE s IS NOT NULL`;

export const INSERT_INGEST_LOG = 'INSERT INTO ingest_log VALUES ($1, $2, $3, $4)';

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** The `bodies` and `meta` columns of one ingest_log row. */
export function ingestLogRow(bodies: readonly StagedBody[]): { bodies: Buffer; meta: string; events: number } {
  const parts: Uint8Array[] = [OPEN];
  const metas: BodyMeta[] = [];
  let events = 0;
  for (const body of bodies) {
    if (parts.length > 1) parts.push(COMMA);
    parts.push(body.json);
    metas.push(bodyMeta(body));
    events += body.entries.length;
  }
  parts.push(CLOSE);
  return { bodies: Buffer.concat(parts), meta: JSON.stringify(metas), events };
}

function bodyMeta(body: StagedBody): BodyMeta {
  let length = 0;
  for (const { position } of body.entries) length = Math.max(length, position + 1);
  const column = <T>() => new Array<T | null>(length).fill(null);
  const first = body.entries[0]!.event;
  const meta: BodyMeta = {
    tn: first.tenant, src: first.source, r: first.receivedAt, ip: first.clientIp,
    s: column(), id: column(), t: column(), o: column(), se: column(), ts: column(),
    u: column(), a: column(), ss: column(), tr: column(), p: column(),
  };
  for (const { position: i, event: e, seq } of body.entries) {
    meta.s[i] = seq; meta.id[i] = e.eventId; meta.t[i] = e.type; meta.o[i] = e.occurredAt; meta.se[i] = e.sentAt;
    meta.ts[i] = e.timestamp; meta.u[i] = e.userId; meta.a[i] = e.anonymousId; meta.ss[i] = e.sessionId;
    meta.tr[i] = e.traceId; meta.p[i] = e.parentId;
  }
  return meta;
}

/** A body can be staged as one unit only when its events share what the meta keeps once per body. */
export function sharesBodyFields(a: IngestedEvent, b: IngestedEvent): boolean {
  return a.tenant === b.tenant && a.source === b.source && a.receivedAt === b.receivedAt && a.clientIp === b.clientIp;
}

/**
 * Reads an ingest_log row back in JS: the fallback when DuckDB's JSON reader refuses a body. The
 * usual reason is a lone UTF-16 surrogate (`"\ud83d"`), which JSON.parse accepts and UTF-8 cannot
 * hold: such characters become U+FFFD, as DuckDB stores text as UTF-8 only.
 */
export function eventsOfIngestLogRow(bodies: Uint8Array, meta: string): Array<{ event: Omit<IngestedEvent, 'payload'>; seq: number; payload: unknown }> {
  const parsedBodies = JSON.parse(Buffer.from(bodies).toString('utf8')) as Array<{ events: unknown[] }>;
  const metas = wellFormed(JSON.parse(meta)) as BodyMeta[];
  const out: Array<{ event: Omit<IngestedEvent, 'payload'>; seq: number; payload: unknown }> = [];
  metas.forEach((m, b) => {
    m.s.forEach((seq, i) => {
      if (seq === null) return;
      out.push({
        seq,
        payload: wellFormed(parsedBodies[b]!.events[i]),
        event: {
          eventId: m.id[i]!, tenant: m.tn, source: m.src, type: m.t[i]!, occurredAt: m.o[i]!, sentAt: m.se[i] ?? null,
          receivedAt: m.r, timestamp: m.ts[i]!, userId: m.u[i] ?? null, anonymousId: m.a[i] ?? null,
          sessionId: m.ss[i] ?? null, traceId: m.tr[i] ?? null, parentId: m.p[i] ?? null, clientIp: m.ip,
        },
      });
    });
  });
  return out;
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
