const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NULL = Buffer.from('null');

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

  /** Room for `more` bytes at `at`: the buffer to write them into directly (then move `at` past them). */
  reserve(more: number): Buffer {
    this.ensure(more);
    return this.buffer;
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

  /** Bytes `start` to `end` of `source`: a loop for a few bytes, a native copy beyond. */
  copy(source: Buffer, start: number, end: number): void {
    const length = end - start;
    this.ensure(length);
    if (length > 32) {
      this.at += source.copy(this.buffer, this.at, start, end);
      return;
    }
    const buffer = this.buffer;
    let at = this.at;
    for (let k = start; k < end; k++) buffer[at++] = source[k]!;
    this.at = at;
  }

  /** Again the bytes `start` to `end` written before (the writer's own). */
  repeat(start: number, end: number): void {
    this.ensure(end - start);
    const buffer = this.buffer;
    let at = this.at;
    for (let k = start; k < end; k++) buffer[at++] = buffer[k]!;
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

  /** A string of one-byte characters (latin1) as those bytes; returns the view of them. */
  latin1(value: string): Buffer {
    this.ensure(value.length);
    const start = this.at;
    this.at += this.buffer.write(value, start, 'latin1');
    return this.view(start);
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

  /** The bytes written from `from` on (up to `to`). */
  view(from: number, to = this.at): Buffer {
    return this.buffer.subarray(from, to);
  }

  /** Starts over at the beginning of the buffer: views taken before must no longer be in use. */
  rewind(): void {
    this.at = 0;
  }
}
