import type { IngestedEvent } from '@sluice/core';

/**
 * The lines of an `ingested-event-lines/v1` message as UTF-8 bytes: one IngestedEvent record as
 * JSON per line. When the client's bytes of an event's payload are at hand, its line is the
 * record's fields (written here, in the order of the record, as JSON.stringify writes them),
 * then `"payload":` and those bytes; otherwise the line is JSON.stringify of the whole record.
 * Splicing the client's bytes skips serialising the payload again and the UTF-8 decode and
 * encode around it: the payload is most of an event's bytes.
 *
 * A raw line feed or carriage return inside a payload can only be JSON whitespace (JSON strings
 * hold them escaped), so it becomes a space and the payload keeps its meaning on one line.
 */
export interface EncodedLines {
  bytes: Buffer;
  /** Line i is `bytes[i === 0 ? 0 : ends[i - 1] + 1, ends[i])`; a `\n` follows every line but the last. */
  ends: number[];
}

/** A record without its payload: what a line holds before `"payload":`. */
export type Envelope = Omit<IngestedEvent, 'payload'>;

/**
 * How line i is written: `payloads[i]` (the client's JSON of the payload) spliced after
 * `envelopes[i]`, or, where it is null, `lines[i]`: the whole record's JSON, already serialised.
 */
export interface LineSources {
  envelopes: readonly Envelope[];
  payloads: ReadonlyArray<Uint8Array | null>;
  lines: ReadonlyArray<string | null>;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACE = 0x7d;
const NULL = Buffer.from('null');

/**
 * Every field of the record but the payload, with the bytes that come before its value. The
 * type below fails to compile when IngestedEvent gains a field this list does not write.
 */
export const ENVELOPE_FIELDS = [
  'eventId', 'tenant', 'source', 'type', 'occurredAt', 'sentAt', 'receivedAt', 'timestamp',
  'userId', 'anonymousId', 'sessionId', 'traceId', 'parentId', 'clientIp',
] as const satisfies ReadonlyArray<keyof IngestedEvent>;
type Unwritten = Exclude<keyof IngestedEvent, (typeof ENVELOPE_FIELDS)[number] | 'payload'>;
const everyFieldWritten: [Unwritten] extends [never] ? true : Unwritten = true;
void everyFieldWritten;

const fieldPrefixes = ENVELOPE_FIELDS.map((field, i) => Buffer.from(`${i === 0 ? '{' : ','}"${field}":`));
const payloadPrefix = Buffer.from(',"payload":');

/**
 * Writes the lines, one per event, `\n` between them, at the end of `writer` (by default a new
 * one): a producer reuses one writer for all its rounds, so a round allocates no line buffers.
 */
export function encodeLines({ envelopes, payloads, lines }: LineSources, writer?: ByteWriter): EncodedLines {
  let estimate = 0;
  for (let i = 0; i < envelopes.length; i++) estimate += (payloads[i]?.length ?? 3 * (lines[i]?.length ?? 0)) + 512;
  const out = writer ?? new ByteWriter(estimate);
  const start = out.at;
  const ends: number[] = [];
  for (let i = 0; i < envelopes.length; i++) {
    if (i > 0) out.byte(LF);
    const payload = payloads[i] ?? null;
    if (payload !== null) writeSplicedLine(out, envelopes[i]!, payload);
    else out.text(lineOf(lines, i));
    ends.push(out.at - start);
  }
  return { bytes: out.view(start), ends };
}

function lineOf(lines: ReadonlyArray<string | null>, i: number): string {
  const line = lines[i];
  if (typeof line !== 'string') throw new Error(`event ${i} has neither payload bytes nor a serialised line`);
  return line;
}

function writeSplicedLine(writer: ByteWriter, e: Envelope, payload: Uint8Array): void {
  // Unrolled: a keyed load with a computed field name costs more than writing the field.
  writer.bytes(fieldPrefixes[0]!); writer.jsonString(e.eventId);
  writer.bytes(fieldPrefixes[1]!); writer.jsonString(e.tenant);
  writer.bytes(fieldPrefixes[2]!); writer.jsonString(e.source);
  writer.bytes(fieldPrefixes[3]!); writer.jsonString(e.type);
  writer.bytes(fieldPrefixes[4]!); writer.number(e.occurredAt);
  writer.bytes(fieldPrefixes[5]!); writer.number(e.sentAt);
  writer.bytes(fieldPrefixes[6]!); writer.number(e.receivedAt);
  writer.bytes(fieldPrefixes[7]!); writer.number(e.timestamp);
  writer.bytes(fieldPrefixes[8]!); writer.jsonString(e.userId);
  writer.bytes(fieldPrefixes[9]!); writer.jsonString(e.anonymousId);
  writer.bytes(fieldPrefixes[10]!); writer.jsonString(e.sessionId);
  writer.bytes(fieldPrefixes[11]!); writer.jsonString(e.traceId);
  writer.bytes(fieldPrefixes[12]!); writer.jsonString(e.parentId);
  writer.bytes(fieldPrefixes[13]!); writer.jsonString(e.clientIp);
  writer.bytes(payloadPrefix);
  const at = writer.at;
  writer.bytes(payload);
  if (payload.indexOf(LF) >= 0 || payload.indexOf(CR) >= 0) writer.blankLineBreaks(at);
  writer.byte(CLOSE_BRACE);
}

/**
 * A growing byte buffer; short ASCII strings are copied by a loop, cheaper than a native write.
 * Growing moves the bytes to a new buffer; views taken before keep the old one.
 */
export class ByteWriter {
  private buffer: Buffer;
  at = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(capacity, 64));
  }

  private ensure(more: number): void {
    if (this.at + more <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.at + more));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }

  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.at++] = value;
  }

  bytes(source: Uint8Array): void {
    this.ensure(source.length);
    if (source.length > 32) {
      this.buffer.set(source, this.at);
      this.at += source.length;
      return;
    }
    const buffer = this.buffer;
    let at = this.at;
    for (let k = 0; k < source.length; k++) buffer[at++] = source[k]!;
    this.at = at;
  }

  /** A number as JSON.stringify writes it (NaN and infinities as null), or null. */
  number(value: number | null): void {
    if (value === null || !Number.isFinite(value)) this.bytes(NULL);
    else this.ascii(String(value));
  }

  /** A string known to be printable ASCII. */
  ascii(value: string): void {
    this.ensure(value.length);
    const buffer = this.buffer;
    let at = this.at;
    for (let k = 0; k < value.length; k++) buffer[at++] = value.charCodeAt(k);
    this.at = at;
  }

  /** Any text, UTF-8 encoded. */
  text(value: string): void {
    this.ensure(3 * value.length);
    this.at += this.buffer.write(value, this.at);
  }

  /** A string as JSON.stringify writes it (printable ASCII without `"` or `\` is copied as is), or null. */
  jsonString(value: string | null): void {
    if (value === null) {
      this.bytes(NULL);
      return;
    }
    this.ensure(value.length + 2);
    const buffer = this.buffer;
    let at = this.at;
    buffer[at++] = QUOTE;
    for (let k = 0; k < value.length; k++) {
      const c = value.charCodeAt(k);
      if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) {
        this.text(JSON.stringify(value));
        return;
      }
      buffer[at++] = c;
    }
    buffer[at++] = QUOTE;
    this.at = at;
  }

  blankLineBreaks(from: number): void {
    for (let i = from; i < this.at; i++) if (this.buffer[i] === LF || this.buffer[i] === CR) this.buffer[i] = SPACE;
  }

  /** The bytes written from `from` on. */
  view(from: number): Buffer {
    return this.buffer.subarray(from, this.at);
  }

  /** Starts over at the beginning of the buffer: views taken before must no longer be in use. */
  rewind(): void {
    this.at = 0;
  }
}
