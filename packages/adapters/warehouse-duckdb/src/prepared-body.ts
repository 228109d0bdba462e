import { eventSlices, type EventSlices, type IngestedEvent, type PreparedBody } from '@sluice/core';
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
 *
 * `inPlace`: the caller owns `json` and gives it up, so the entries are compacted inside it (they
 * only ever move towards its start) and `entries` is a view of it, instead of fresh memory per
 * body: the preparation thread, which receives every body as memory of its own.
 */
export function prepareBody(json: Uint8Array | null, accepted: ReadonlyArray<{ position: number; event: IngestedEvent }>, options: { inPlace?: boolean } = {}): PreparedBody {
  const slices = json === null ? null : eventSlices(json);
  const { entries, entryEnds } = json !== null && slices && accepted.every((e) => e.position < slices.starts.length)
    ? entriesFromBody(json, slices, accepted, options.inPlace === true)
    : joinEntries(accepted.map((e) => Buffer.from(JSON.stringify(wellFormed(e.event.payload)))));
  const ids = new Uint32Array(accepted.length * 4);
  accepted.forEach(({ event: { eventId } }, i) => {
    if (!uuidWords(eventId, ids, i * 4)) throw new TypeError(`not a UUID: ${eventId}`);
  });
  const first = accepted[0]!.event;
  return { tenant: first.tenant, source: first.source, count: accepted.length, ids, entries, entryEnds, envelope: JSON.stringify(envelopeOf(accepted)) };
}

/**
 * Bodies of several prepared requests as one staging-log record; their entries get the sequence
 * numbers from `firstSeq` on, in order. The record's bodies are written into `allocate(size)`.
 */
export function preparedRecord(bodies: readonly PreparedBody[], firstSeq: number,
  allocate: (size: number) => Buffer = (size) => Buffer.allocUnsafe(size)): { bodies: Buffer; meta: Buffer; events: number } {
  let size = bodies.length - 1;
  for (const body of bodies) size += body.entries.length;
  const out = allocate(Math.max(size, 0));
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
  const { entries, entryEnds } = joinEntries(keep.map((i) => body.entries.subarray(i === 0 ? 0 : body.entryEnds[i - 1]! + 1, body.entryEnds[i])));
  const ids = new Uint32Array(keep.length * 4);
  keep.forEach((i, k) => ids.set(body.ids.subarray(i * 4, i * 4 + 4), k * 4));
  // Lists in the envelope hold one value per entry; single values (`<key>1`) hold for all of them.
  const envelope = JSON.parse(body.envelope) as Record<string, unknown>;
  for (const [key, value] of Object.entries(envelope)) {
    if (Array.isArray(value)) envelope[key] = keep.map((i) => value[i] as unknown);
  }
  return { ...body, count: keep.length, ids, entries, entryEnds, envelope: JSON.stringify(envelope) };
}

/**
 * The accepted entries copied out of the request body, where the byte scanner found them. Entries
 * next to each other with only their comma between (compact JSON, what the SDKs send) are copied
 * as one piece, the commas then overwritten with the separator: one copy per run instead of one
 * per entry. In place, each run moves to where the previous one ended: never past its own start,
 * as the body holds at least `{"events":[` before the first entry and a comma between any two.
 */
function entriesFromBody(json: Uint8Array, slices: EventSlices, accepted: ReadonlyArray<{ position: number }>, inPlace: boolean): { entries: Uint8Array; entryEnds: Uint32Array } {
  const { starts, ends } = slices;
  let size = -1;
  for (const { position } of accepted) size += ends[position]! - starts[position]! + 1;
  // Otherwise fresh memory of its own (not Buffer's shared pool), so the bytes can be moved to another thread.
  const entries = inPlace ? json.subarray(0, Math.max(size, 0)) : new Uint8Array(Math.max(size, 0));
  const entryEnds = new Uint32Array(accepted.length);
  let at = 0;
  for (let k = 0; k < accepted.length;) {
    let r = k + 1;
    while (r < accepted.length && accepted[r]!.position === accepted[r - 1]!.position + 1 && starts[accepted[r]!.position] === ends[accepted[r - 1]!.position]! + 1) r++;
    if (k > 0) entries[at++] = ENTRY_SEPARATOR;
    const start = starts[accepted[k]!.position]!;
    const end = ends[accepted[r - 1]!.position]!;
    if (inPlace) json.copyWithin(at, start, end);
    else entries.set(json.subarray(start, end), at);
    for (let i = k; i < r; i++) {
      entryEnds[i] = at + ends[accepted[i]!.position]! - start;
      if (i < r - 1) entries[entryEnds[i]!] = ENTRY_SEPARATOR;
    }
    at += end - start;
    k = r;
  }
  return { entries, entryEnds };
}

/** Entries' texts joined with the separator (the path for bodies the scanner refuses, or none: lone surrogates made U+FFFD). */
function joinEntries(texts: readonly Uint8Array[]): { entries: Uint8Array; entryEnds: Uint32Array } {
  const entries = new Uint8Array(Math.max(texts.reduce((n, text) => n + text.length + 1, -1), 0));
  const entryEnds = new Uint32Array(texts.length);
  let at = 0;
  texts.forEach((text, i) => {
    if (i > 0) entries[at++] = ENTRY_SEPARATOR;
    entries.set(text, at);
    at += text.length;
    entryEnds[i] = at;
  });
  return { entries, entryEnds };
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
