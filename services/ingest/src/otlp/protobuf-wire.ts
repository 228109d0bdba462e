import { SluiceError } from '@sluice/core';

/**
 * The protobuf wire format, only as much as OTLP needs: varints, 64/32-bit fixed fields and
 * length-delimited fields. Every read is bounds-checked; a malformed body is a
 * SLUICE_ERR_MALFORMED_PROTOBUF (400), never a RangeError.
 */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

const utf8 = new TextDecoder('utf-8');

export function malformed(message: string): SluiceError {
  return new SluiceError('SLUICE_ERR_MALFORMED_PROTOBUF', `malformed protobuf: ${message}`);
}

export class ProtoReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #end: number;
  #pos = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#end = bytes.byteLength;
  }

  get done(): boolean {
    return this.#pos >= this.#end;
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wireType: number } {
    const tag = this.uint();
    const field = Math.floor(tag / 8);
    if (field === 0) throw malformed(`field number 0 at byte ${this.#pos}`);
    return { field, wireType: tag % 8 };
  }

  /** A varint as a number: exact up to 2^53, which covers tags, lengths, enums and booleans. */
  uint(): number {
    let result = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      const byte = this.#byte();
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
    }
    throw malformed(`varint longer than 10 bytes at byte ${this.#pos}`);
  }

  /** A varint as a signed 64-bit integer (int64 encoding, two's complement). */
  int64(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.#byte();
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asIntN(64, result);
    }
    throw malformed(`varint longer than 10 bytes at byte ${this.#pos}`);
  }

  fixed64(): bigint {
    return this.#view.getBigUint64(this.#advance(8), true);
  }

  double(): number {
    return this.#view.getFloat64(this.#advance(8), true);
  }

  /** A length-delimited field's bytes (a view, not a copy). */
  bytes(): Uint8Array {
    const length = this.uint();
    const start = this.#advance(length);
    return this.#bytes.subarray(start, start + length);
  }

  string(): string {
    return utf8.decode(this.bytes());
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT: this.uint(); return;
      case WIRE_FIXED64: this.#advance(8); return;
      case WIRE_LEN: this.bytes(); return;
      case WIRE_FIXED32: this.#advance(4); return;
      default: throw malformed(`unsupported wire type ${wireType} at byte ${this.#pos}`);
    }
  }

  #byte(): number {
    if (this.#pos >= this.#end) throw malformed('message truncated');
    return this.#bytes[this.#pos++]!;
  }

  #advance(length: number): number {
    if (length > this.#end - this.#pos) throw malformed(`field of ${length} bytes overruns the message at byte ${this.#pos}`);
    const start = this.#pos;
    this.#pos += length;
    return start;
  }
}

/** Throws unless a known field arrived with the wire type its declaration implies. */
export function expectWireType(actual: number, expected: number, field: string): void {
  if (actual !== expected) throw malformed(`${field} has wire type ${actual}, expected ${expected}`);
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** Encodes a varint field (non-negative values only, which is all the responses carry). */
export function varintField(field: number, value: number): Uint8Array {
  return Uint8Array.from([...varint(field * 8 + WIRE_VARINT), ...varint(value)]);
}

/** Encodes a length-delimited field (a string, bytes or an embedded message). */
export function lengthDelimitedField(field: number, payload: Uint8Array | string): Uint8Array {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  return concat([Uint8Array.from([...varint(field * 8 + WIRE_LEN), ...varint(bytes.byteLength)]), bytes]);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
