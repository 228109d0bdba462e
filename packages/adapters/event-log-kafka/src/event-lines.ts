import { eventSlices, type IngestedEvent } from '@sluice/core';
import type { ByteWriter } from './byte-writer.ts';
import { NUMBER_FIELDS, STRING_FIELDS, envelopesOf, type ProduceRound } from './produce-round.ts';

/**
 * The lines of `ingested-event-lines/v1` messages as UTF-8 bytes, written on the producer thread
 * straight from produce rounds (produce-round.ts): one IngestedEvent record as JSON per line.
 * When the client's bytes of an event's payload are at hand, its line is the record's fields
 * (in the order of the record, as JSON.stringify writes them), then `"payload":` and those bytes;
 * otherwise the line is JSON.stringify of the whole record, done on the ingest thread. Splicing
 * the client's bytes skips serialising the payload again: the payload is most of an event's bytes.
 *
 * A raw line feed or carriage return inside a payload can only be JSON whitespace (JSON strings
 * hold them escaped), so it becomes a space and the payload keeps its meaning on one line.
 *
 * Per event, only bytes and its partition key are made (docs/decisions/0014): no record object,
 * no string per field, no view per payload. A round's string fields arrive as one text; when it is
 * printable ASCII without `"` or `\` (ids, names, IPs: nearly always), JSON writes every field as
 * its characters between quotes, so the text is encoded once and each field is a copy of its
 * bytes. Otherwise each field of that round is sliced out and written as JSON.stringify writes it.
 */
export interface KeyedValue {
  /** The partition key (see partitionKeyOf in event-messages.ts); undefined: none. */
  key: string | undefined;
  /** Lines, `\n` between them: a view into the writer. */
  value: Buffer;
}

/**
 * Every field of the record but the payload, in the order of the record. The type below fails to
 * compile when IngestedEvent gains a field this list does not name; writeLine writes them in
 * this order (strings 0-3, the four times, strings 4-9 of the round's columns).
 */
export const ENVELOPE_FIELDS = [
  'eventId', 'tenant', 'source', 'type', 'occurredAt', 'sentAt', 'receivedAt', 'timestamp',
  'userId', 'anonymousId', 'sessionId', 'traceId', 'parentId', 'clientIp',
] as const satisfies ReadonlyArray<keyof IngestedEvent>;
type Unwritten = Exclude<keyof IngestedEvent, (typeof ENVELOPE_FIELDS)[number] | 'payload'>;
const everyFieldWritten: [Unwritten] extends [never] ? true : Unwritten = true;
void everyFieldWritten;

/**
 * The events of the rounds grouped by partition key in arrival order, each group's lines written
 * at the end of `writer` and cut into values of at most `maxValueBytes` (cut after the line that
 * the next one would overflow; a single larger line still gets a value of its own). `scratch`
 * holds the rounds' bodies and texts as bytes while the lines are written; it is rewound first.
 */
export function writeRoundLines(rounds: readonly ProduceRound[], maxValueBytes: number, writer: ByteWriter, scratch: ByteWriter): KeyedValue[] {
  scratch.rewind();
  const sources = rounds.map((round) => sourceOf(round, scratch));
  const groups = new Map<string | undefined, number[]>();
  for (let r = 0; r < sources.length; r++) {
    const source = sources[r]!;
    for (let i = 0; i < source.round.count; i++) {
      const key = keyOf(source, i);
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = []));
      group.push(r * EVENTS_PER_ROUND_LIMIT + i);
    }
  }
  const numbers = new NumberCache();
  const values: KeyedValue[] = [];
  for (const [key, group] of groups) {
    let valueStart = writer.at;
    for (let k = 0; k < group.length; k++) {
      const r = Math.floor(group[k]! / EVENTS_PER_ROUND_LIMIT);
      if (k > 0) writer.byte(LF);
      const lineStart = writer.at;
      writeLine(writer, sources[r]!, group[k]! - r * EVENTS_PER_ROUND_LIMIT, numbers);
      if (lineStart > valueStart && writer.at - valueStart > maxValueBytes) {
        values.push({ key, value: writer.view(valueStart, lineStart - 1) });
        valueStart = lineStart;
      }
    }
    values.push({ key, value: writer.view(valueStart) });
  }
  return values;
}

/** A group holds round and event as one number: `round * EVENTS_PER_ROUND_LIMIT + event`. */
const EVENTS_PER_ROUND_LIMIT = 1 << 24;

/** A round ready to be written: where each event's fields and payload are. */
interface RoundSource {
  round: ProduceRound;
  /** The round's text as bytes when every field is written as its bytes between quotes; else null. */
  textBytes: Buffer | null;
  /** Per event, where its first string field starts in the text. */
  textStarts: number[];
  /** Per event, the index of the body holding its payload, or -1: its whole line is in `lines`. */
  bodyOf: number[];
  payloadStarts: number[];
  payloadEnds: number[];
  bodies: Buffer[];
  /** Per body, whether it holds a raw CR or LF anywhere. */
  bodyHasBreaks: boolean[];
  lines: Map<number, string>;
}

/** Text JSON writes as it is between quotes: printable ASCII but `"` and `\`. */
const PLAIN_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function sourceOf(round: ProduceRound, scratch: ByteWriter): RoundSource {
  const n = round.count;
  const textStarts = new Array<number>(n).fill(0);
  let at = 0;
  for (let i = 0; i < n; i++) {
    textStarts[i] = at;
    for (let f = i * STRING_FIELDS; f < (i + 1) * STRING_FIELDS; f++) at += Math.max(0, round.textLengths[f]!);
  }
  const source: RoundSource = {
    round,
    textBytes: PLAIN_TEXT.test(round.text) ? scratch.latin1(round.text) : null,
    textStarts,
    bodyOf: new Array<number>(n).fill(-1),
    payloadStarts: new Array<number>(n).fill(0),
    payloadEnds: new Array<number>(n).fill(0),
    bodies: [],
    bodyHasBreaks: [],
    lines: new Map(round.lineIndexes.map((i, k) => [i, round.lineTexts[k]!])),
  };
  for (const { bytes, positions, first } of round.bodies) {
    const body = scratch.latin1(bytes);
    const slices = eventSlices(body);
    const b = source.bodies.length;
    source.bodies.push(body);
    source.bodyHasBreaks.push(body.indexOf(LF) >= 0 || body.indexOf(CR) >= 0);
    let entries: unknown[] | null = null;
    for (let k = 0; k < positions.length; k++) {
      const position = positions[k]!;
      if (slices !== null && position < slices.starts.length) {
        source.bodyOf[first + k] = b;
        source.payloadStarts[first + k] = slices.starts[position]!;
        source.payloadEnds[first + k] = slices.ends[position]!;
        continue;
      }
      // The scanner refused the body (a lone surrogate escape): parse it as the route did.
      entries ??= (JSON.parse(body.toString('utf8')) as { events: unknown[] }).events;
      if (position >= entries.length) throw new Error(`a request body has no event at position ${position}`);
      source.lines.set(first + k, JSON.stringify({ ...envelopesOf(round, first + k, 1)[0], payload: entries[position] }));
    }
  }
  return source;
}

/** Positions of the key fields among an event's string fields (see roundOf). */
const USER_ID = 4;
const ANONYMOUS_ID = 5;
const SESSION_ID = 6;

/** The partition key: the session id, else the user id, else the anonymous id (partitionKeyOf). */
function keyOf({ round, textStarts }: RoundSource, i: number): string | undefined {
  const lengths = round.textLengths;
  const f = i * STRING_FIELDS;
  let userAt = textStarts[i]!;
  for (let k = 0; k < USER_ID; k++) userAt += Math.max(0, lengths[f + k]!);
  const anonymousAt = userAt + Math.max(0, lengths[f + USER_ID]!);
  const sessionAt = anonymousAt + Math.max(0, lengths[f + ANONYMOUS_ID]!);
  if (lengths[f + SESSION_ID]! >= 0) return round.text.slice(sessionAt, sessionAt + lengths[f + SESSION_ID]!);
  if (lengths[f + USER_ID]! >= 0) return round.text.slice(userAt, userAt + lengths[f + USER_ID]!);
  if (lengths[f + ANONYMOUS_ID]! >= 0) return round.text.slice(anonymousAt, anonymousAt + lengths[f + ANONYMOUS_ID]!);
  return undefined;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const CLOSE_BRACE = 0x7d;
const NULL = Buffer.from('null');

/** `{"eventId":`, `,"tenant":`, …: the bytes before each field, in the order of the record. */
const PREFIXES = ENVELOPE_FIELDS.map((field, i) => Buffer.from(`${i === 0 ? '{' : ','}"${field}":`));
const HEAD_STRINGS = PREFIXES.slice(0, 4);
const TIMES = PREFIXES.slice(4, 4 + NUMBER_FIELDS);
const TAIL_STRINGS = PREFIXES.slice(4 + NUMBER_FIELDS);
const PAYLOAD = Buffer.from(',"payload":');
/** For text written as it is: a string field's prefix with its opening quote, and with `null`. */
const QUOTED_HEAD = HEAD_STRINGS.map((prefix) => Buffer.from(`${prefix.toString()}"`));
const NULL_HEAD = HEAD_STRINGS.map((prefix) => Buffer.from(`${prefix.toString()}null`));
const QUOTED_TAIL = TAIL_STRINGS.map((prefix) => Buffer.from(`${prefix.toString()}"`));
const NULL_TAIL = TAIL_STRINGS.map((prefix) => Buffer.from(`${prefix.toString()}null`));
/** Most bytes a string field takes besides its text: its prefix and two quotes, or its prefix and `null`. */
const FIELD_BYTES = Math.max(...PREFIXES.map((prefix) => prefix.length)) + NULL.length;

/** Writes event i of a round as one line. */
function writeLine(out: ByteWriter, source: RoundSource, i: number, times: NumberCache): void {
  const b = source.bodyOf[i]!;
  if (b < 0) {
    out.text(source.lines.get(i)!);
    return;
  }
  const { round, textBytes } = source;
  let f = i * STRING_FIELDS;
  let at = source.textStarts[i]!;
  if (textBytes !== null) {
    at = writePlainStrings(out, QUOTED_HEAD, NULL_HEAD, textBytes, round.textLengths, f, at);
    f += HEAD_STRINGS.length;
  } else {
    for (let k = 0; k < HEAD_STRINGS.length; k++) at = writeString(out, HEAD_STRINGS[k]!, round, at, round.textLengths[f++]!);
  }
  for (let k = 0; k < TIMES.length; k++) {
    out.bytes(TIMES[k]!);
    times.write(out, k, round.numbers[i * NUMBER_FIELDS + k]!);
  }
  if (textBytes !== null) writePlainStrings(out, QUOTED_TAIL, NULL_TAIL, textBytes, round.textLengths, f, at);
  else for (let k = 0; k < TAIL_STRINGS.length; k++) at = writeString(out, TAIL_STRINGS[k]!, round, at, round.textLengths[f++]!);
  out.bytes(PAYLOAD);
  const payloadAt = out.at;
  out.copy(source.bodies[b]!, source.payloadStarts[i]!, source.payloadEnds[i]!);
  if (source.bodyHasBreaks[b]) out.blankLineBreaks(payloadAt);
  out.byte(CLOSE_BRACE);
}

/**
 * Writes consecutive string fields whose text JSON keeps as it is (`quoted.length` of them, the
 * first at `lengths[f]`, its text at `at` in `text`), all in one stretch of the writer's buffer:
 * per field its prefix with the opening quote, its bytes and the closing quote, or its prefix with
 * `null`. Returns where the next field starts in the text.
 */
function writePlainStrings(out: ByteWriter, quoted: readonly Buffer[], nulled: readonly Buffer[], text: Buffer, lengths: Int32Array, f: number, at: number): number {
  let room = 0;
  for (let k = 0; k < quoted.length; k++) room += FIELD_BYTES + Math.max(0, lengths[f + k]!);
  const buffer = out.reserve(room);
  let w = out.at;
  for (let k = 0; k < quoted.length; k++) {
    const length = lengths[f + k]!;
    const prefix = length < 0 ? nulled[k]! : quoted[k]!;
    for (let j = 0; j < prefix.length; j++) buffer[w++] = prefix[j]!;
    if (length < 0) continue;
    for (let j = at; j < at + length; j++) buffer[w++] = text[j]!;
    buffer[w++] = QUOTE;
    at += length;
  }
  out.at = w;
  return at;
}

/** Writes a string field as JSON.stringify writes it (null where its length is -1); returns where the next one starts in the text. */
function writeString(out: ByteWriter, prefix: Buffer, round: ProduceRound, at: number, length: number): number {
  out.bytes(prefix);
  if (length < 0) {
    out.bytes(NULL);
    return at;
  }
  out.jsonString(round.text.slice(at, at + length));
  return at + length;
}

/**
 * A time often repeats the same field's value of the event before (receivedAt within a request;
 * occurredAt and timestamp in bursts): then it is copied from where it was written instead of
 * being formatted again. One cache per writing pass: positions are in the writer.
 */
class NumberCache {
  private readonly values = new Float64Array(NUMBER_FIELDS).fill(Number.NaN);
  private readonly starts = new Int32Array(NUMBER_FIELDS);
  private readonly ends = new Int32Array(NUMBER_FIELDS);

  write(out: ByteWriter, field: number, value: number): void {
    if (value === this.values[field]) {
      out.repeat(this.starts[field]!, this.ends[field]!);
      return;
    }
    this.starts[field] = out.at;
    out.number(value);
    this.ends[field] = out.at;
    this.values[field] = value;
  }
}
