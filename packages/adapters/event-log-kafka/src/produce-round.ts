import type { AppendBatch, IngestedEvent } from '@sluice/core';

/** A record without its payload. */
export type Envelope = Omit<IngestedEvent, 'payload'>;

/**
 * One produce round as the ingest thread hands it to the producer thread (producer-thread.ts):
 * cheap to build and to copy between threads, and enough to write every line byte for byte. The
 * records' payloads do not travel as objects (copying them costs as much as serialising them);
 * the request bodies they were parsed from do, and the producer thread finds each payload's bytes
 * in them.
 */
export interface ProduceRound {
  /** Events in the round. */
  count: number;
  /**
   * The records without their payloads, in envelopeOf's order: their string fields concatenated
   * in `text` (STRING_FIELDS per event, each `textLengths` long, -1 for null) and their numbers in
   * `numbers` (NUMBER_FIELDS per event, NaN for null: JSON writes both as null). Three flat
   * values copy between threads far faster than an array of objects or of mixed values.
   */
  text: string;
  textLengths: Int32Array;
  numbers: Float64Array;
  /** Request bodies and the events they cover: `first` and the next `positions.length`. */
  bodies: RoundBody[];
  /** Events no body covers, and the JSON of each one's whole record. */
  lineIndexes: number[];
  lineTexts: string[];
  /** The quarantined events' JSON. */
  quarantine: string[];
}

export interface RoundBody {
  /**
   * The body's bytes, one character per byte (latin1), written back as the same bytes on the
   * producer thread. As a string the body lives on the heap of each thread, where the young
   * generation's collections free it at almost no cost. As a transferred copy (decision 0011),
   * every append left a buffer of external memory behind on both threads, and the
   * producer thread, which allocates little else, freed them by full mark-compacts, ten a second
   * (docs/decisions/0014).
   */
  bytes: string;
  /** For each covered event, its index in the body's `events` array. */
  positions: readonly number[];
  first: number;
}

/** Per event: eventId, tenant, source, type, userId, anonymousId, sessionId, traceId, parentId, clientIp. */
export const STRING_FIELDS = 10;
/** Per event: occurredAt, sentAt, receivedAt, timestamp. */
export const NUMBER_FIELDS = 4;

/** The round of an append, and the buffers to transfer with it. */
export function roundOf(batch: AppendBatch): { round: ProduceRound; transfer: ArrayBuffer[] } {
  const { events } = batch;
  const strings = new Array<string>(events.length * STRING_FIELDS);
  const textLengths = new Int32Array(events.length * STRING_FIELDS);
  const numbers = new Float64Array(events.length * NUMBER_FIELDS);
  let t = 0;
  let n = 0;
  const text = (value: string | null) => {
    strings[t] = value ?? '';
    textLengths[t++] = value === null ? -1 : value.length;
  };
  for (const e of events) {
    text(e.eventId); text(e.tenant); text(e.source); text(e.type); text(e.userId);
    text(e.anonymousId); text(e.sessionId); text(e.traceId); text(e.parentId); text(e.clientIp);
    numbers[n++] = e.occurredAt; numbers[n++] = e.sentAt ?? Number.NaN; numbers[n++] = e.receivedAt; numbers[n++] = e.timestamp;
  }
  const lineIndexes: number[] = [];
  const lineTexts: string[] = [];
  const serialise = (i: number) => {
    lineIndexes.push(i);
    lineTexts.push(JSON.stringify(events[i]));
  };
  const bodies: RoundBody[] = [];
  const transfer: ArrayBuffer[] = [textLengths.buffer, numbers.buffer];
  const covered = batch.bodies?.reduce((sum, body) => sum + body.positions.length, 0);
  let at = 0;
  if (covered === events.length) {
    for (const { json, positions } of batch.bodies!) {
      if (json === null) {
        for (let k = 0; k < positions.length; k++) serialise(at + k);
      } else {
        bodies.push({ bytes: Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('latin1'), positions, first: at });
      }
      at += positions.length;
    }
  }
  for (; at < events.length; at++) serialise(at);
  const round: ProduceRound = {
    count: events.length, text: strings.join(''), textLengths, numbers, bodies, lineIndexes, lineTexts,
    quarantine: batch.quarantine.map((q) => JSON.stringify(q)),
  };
  return { round, transfer };
}

/** The records without their payloads of events `from` to `from + count - 1` of a round (all by default). */
export function envelopesOf({ count: all, text, textLengths, numbers }: ProduceRound, from = 0, count = all - from): Envelope[] {
  const envelopes = new Array<Envelope>(count);
  let at = 0;
  let t = 0;
  for (let f = 0; f < from * STRING_FIELDS; f++) at += Math.max(0, textLengths[f]!);
  t = from * STRING_FIELDS;
  const next = (): string | null => {
    const length = textLengths[t++]!;
    if (length < 0) return null;
    at += length;
    return text.slice(at - length, at);
  };
  const number = (k: number): number => numbers[k]!;
  for (let i = from; i < from + count; i++) {
    const eventId = next()!; const tenant = next()!; const source = next()!; const type = next()!; const userId = next();
    const anonymousId = next(); const sessionId = next(); const traceId = next(); const parentId = next(); const clientIp = next();
    const o = i * NUMBER_FIELDS;
    const sentAt = number(o + 1);
    envelopes[i - from] = {
      eventId, tenant, source, type, occurredAt: number(o), sentAt: Number.isNaN(sentAt) ? null : sentAt, receivedAt: number(o + 2), timestamp: number(o + 3),
      userId, anonymousId, sessionId, traceId, parentId, clientIp,
    };
  }
  return envelopes;
}
