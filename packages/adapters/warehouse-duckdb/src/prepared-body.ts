import { eventSlices, type IngestedEvent, type PreparedBody } from '@sluice/core';
import { BODY_SEPARATOR, ENVELOPE_COLUMNS, ENTRY_SEPARATOR, wellFormed, type EnvelopeColumn } from './ingest-log.ts';
import { uuidWords } from './uuid-set.ts';

/**
 * The DuckDB store's preparer (docs/decisions/0020): one request body's accepted events in the
 * staging log's form, built before the group commit and without the database, so the ingest
 * service can run it on its preparation thread (this module loads no DuckDB). The group commit
 * then only claims the ids and joins bodies into a record (preparedRecord).
 *
 * `json` is the request body (null when the route kept none) and `accepted` its accepted events,
 * each with its index in the body's `events` array. They share tenant, source, received_at and
 * client IP, as the events of one request do.
 */
export function prepareBody(json: Uint8Array | null, accepted: ReadonlyArray<{ position: number; event: IngestedEvent }>): PreparedBody {
  const texts = entryTexts(json, accepted);
  let size = 0;
  for (const text of texts) size += text.length + 1;
  // Fresh memory of its own (not Buffer's shared pool), so the bytes can be moved to another thread.
  const entries = new Uint8Array(Math.max(size - 1, 0));
  const entryEnds = new Uint32Array(texts.length);
  const ids = new Uint32Array(accepted.length * 4);
  let at = 0;
  texts.forEach((text, i) => {
    if (i > 0) entries[at++] = ENTRY_SEPARATOR;
    entries.set(text, at);
    at += text.length;
    entryEnds[i] = at;
    const { eventId } = accepted[i]!.event;
    if (!uuidWords(eventId, ids, i * 4)) throw new TypeError(`not a UUID: ${eventId}`);
  });
  const first = accepted[0]!.event;
  return { tenant: first.tenant, source: first.source, count: accepted.length, ids, entries, entryEnds, envelope: JSON.stringify(envelopeOf(accepted)) };
}

/** Bodies of several prepared requests as one staging-log record; their entries get the sequence numbers from `firstSeq` on, in order. */
export function preparedRecord(bodies: readonly PreparedBody[], firstSeq: number): { bodies: Buffer; meta: Buffer; events: number } {
  let size = bodies.length - 1;
  for (const body of bodies) size += body.entries.length;
  const out = Buffer.allocUnsafe(Math.max(size, 0));
  const metas: string[] = [];
  let at = 0;
  let seq = firstSeq;
  for (const body of bodies) {
    if (at > 0) out[at++] = BODY_SEPARATOR;
    out.set(body.entries, at);
    at += body.entries.length;
    // `s1`: the body's first seq; the entries' seqs run on from it (ingest-log.ts).
    metas.push(`{"s1":${seq},${body.envelope.slice(1)}`);
    seq += body.count;
  }
  return { bodies: out, meta: Buffer.from(`[${metas.join(',')}]`), events: seq - firstSeq };
}

/**
 * The body without the entries `drop` marks (duplicates found when the ids were claimed), or null
 * when none is left. Duplicates are rare, so this re-reads the envelope rather than keep its
 * columns apart.
 */
export function withoutEntries(body: PreparedBody, drop: readonly boolean[]): PreparedBody | null {
  const keep: number[] = [];
  for (let i = 0; i < body.count; i++) if (!drop[i]) keep.push(i);
  if (keep.length === body.count) return body;
  if (keep.length === 0) return null;
  const parts = keep.map((i) => body.entries.subarray(i === 0 ? 0 : body.entryEnds[i - 1]! + 1, body.entryEnds[i]));
  const entries = new Uint8Array(parts.reduce((n, part) => n + part.length + 1, -1));
  const entryEnds = new Uint32Array(keep.length);
  const ids = new Uint32Array(keep.length * 4);
  let at = 0;
  parts.forEach((part, k) => {
    if (k > 0) entries[at++] = ENTRY_SEPARATOR;
    entries.set(part, at);
    at += part.length;
    entryEnds[k] = at;
    ids.set(body.ids.subarray(keep[k]! * 4, keep[k]! * 4 + 4), k * 4);
  });
  // Lists in the envelope hold one value per entry; single values (`<key>1`) hold for all of them.
  const envelope = JSON.parse(body.envelope) as Record<string, unknown>;
  for (const [key, value] of Object.entries(envelope)) {
    if (Array.isArray(value)) envelope[key] = keep.map((i) => value[i] as unknown);
  }
  return { ...body, count: keep.length, ids, entries, entryEnds, envelope: JSON.stringify(envelope) };
}

/**
 * The accepted entries' bytes: views into the request body, found by a byte scanner. A body the
 * scanner refuses (a lone UTF-16 surrogate escape, which DuckDB's UTF-8 text cannot hold), or no
 * body at all, has its parsed entries serialised instead, with such characters replaced by U+FFFD.
 */
function entryTexts(json: Uint8Array | null, accepted: ReadonlyArray<{ position: number; event: IngestedEvent }>): Uint8Array[] {
  const slices = json === null ? null : eventSlices(json);
  if (json !== null && slices && accepted.every((e) => e.position < slices.starts.length)) {
    return accepted.map(({ position: i }) => json.subarray(slices.starts[i], slices.ends[i]));
  }
  return accepted.map((e) => Buffer.from(JSON.stringify(wellFormed(e.event.payload))));
}

/**
 * The body's envelope (decision 0013): `tn`, `src`, `r` (received, epoch ms) and `ip` are the same
 * for every entry of a body; `id` lists the entries' event ids. Every other column is written
 * ONCE as `<key>1` when all entries share its value (typical: one type, user and session per
 * body; no sent_at), else as the list `<key>`. The times are milliseconds before `r`: small
 * integers, which JSON.stringify writes and DuckDB reads faster than 13-digit epochs.
 */
function envelopeOf(accepted: ReadonlyArray<{ event: IngestedEvent }>): Record<string, unknown> {
  const first = accepted[0]!.event;
  const envelope: Record<string, unknown> = { tn: first.tenant, src: first.source, r: first.receivedAt, ip: first.clientIp, id: accepted.map((e) => e.event.eventId) };
  for (const key of Object.keys(ENVELOPE_COLUMNS) as EnvelopeColumn[]) {
    const valueOf = ENVELOPE_COLUMNS[key].value;
    const one = valueOf(first);
    let i = 1;
    while (i < accepted.length && valueOf(accepted[i]!.event) === one) i++;
    if (i === accepted.length) {
      envelope[`${key}1`] = one;
      continue;
    }
    const list = new Array<unknown>(accepted.length).fill(one, 0, i);
    for (; i < accepted.length; i++) list[i] = valueOf(accepted[i]!.event);
    envelope[key] = list;
  }
  return envelope;
}
