/**
 * A lossless reader and writer of Thrift's compact protocol, just enough to rewrite the footer of
 * a Parquet file (parquet-concat.ts). Values are kept as read, with their wire types, so that
 * writing back what was read gives the same bytes, whatever the fields mean.
 */

/** Wire types of the compact protocol. */
export const WireType = {
  True: 1, False: 2, Byte: 3, I16: 4, I32: 5, I64: 6, Double: 7, Binary: 8, List: 9, Set: 10, Map: 11, Struct: 12,
} as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

export interface ThriftField {
  id: number;
  type: WireType;
  value: ThriftValue;
}

export type ThriftValue =
  | { kind: 'int'; value: bigint }
  | { kind: 'raw'; bytes: Uint8Array } // bool in a collection, byte, double: fixed size
  | { kind: 'binary'; bytes: Uint8Array }
  | { kind: 'list'; elementType: WireType; items: ThriftValue[] }
  | { kind: 'map'; keyType: WireType; valueType: WireType; entries: [ThriftValue, ThriftValue][] }
  | { kind: 'struct'; fields: ThriftField[] }
  | { kind: 'bool' }; // a struct field's boolean: its value is its wire type

export class ThriftReader {
  private offset = 0;
  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  get position(): number {
    return this.offset;
  }

  readStruct(): ThriftValue & { kind: 'struct' } {
    const fields: ThriftField[] = [];
    let lastId = 0;
    for (;;) {
      const header = this.byte();
      if (header === 0) return { kind: 'struct', fields };
      const type = (header & 0x0f) as WireType;
      const delta = header >> 4;
      const id = delta === 0 ? Number(unzigzag(this.varint())) : lastId + delta;
      lastId = id;
      const value: ThriftValue = type === WireType.True || type === WireType.False ? { kind: 'bool' } : this.readValue(type);
      fields.push({ id, type, value });
    }
  }

  private readValue(type: WireType): ThriftValue {
    switch (type) {
      case WireType.True:
      case WireType.False:
      case WireType.Byte: return { kind: 'raw', bytes: this.take(1) };
      case WireType.I16:
      case WireType.I32:
      case WireType.I64: return { kind: 'int', value: unzigzag(this.varint()) };
      case WireType.Double: return { kind: 'raw', bytes: this.take(8) };
      case WireType.Binary: return { kind: 'binary', bytes: this.take(Number(this.varint())) };
      case WireType.List:
      case WireType.Set: {
        const header = this.byte();
        const elementType = (header & 0x0f) as WireType;
        const size = header >> 4 === 15 ? Number(this.varint()) : header >> 4;
        return { kind: 'list', elementType, items: Array.from({ length: size }, () => this.readValue(elementType)) };
      }
      case WireType.Map: {
        const size = Number(this.varint());
        if (size === 0) return { kind: 'map', keyType: WireType.Byte, valueType: WireType.Byte, entries: [] };
        const types = this.byte();
        const keyType = (types >> 4) as WireType;
        const valueType = (types & 0x0f) as WireType;
        return { kind: 'map', keyType, valueType, entries: Array.from({ length: size }, () => [this.readValue(keyType), this.readValue(valueType)]) };
      }
      case WireType.Struct: return this.readStruct();
      default: throw new Error(`unknown Thrift compact type ${String(type)} at byte ${this.offset}`);
    }
  }

  private byte(): number {
    if (this.offset >= this.bytes.length) throw new Error('Thrift data ends early');
    return this.bytes[this.offset++]!;
  }

  private take(n: number): Uint8Array {
    if (this.offset + n > this.bytes.length) throw new Error('Thrift data ends early');
    const slice = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return slice;
  }

  private varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }
}

export class ThriftWriter {
  private readonly chunks: number[] = [];

  bytes(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }

  writeStruct(struct: ThriftValue & { kind: 'struct' }): void {
    let lastId = 0;
    for (const field of struct.fields) {
      const delta = field.id - lastId;
      if (delta > 0 && delta <= 15) this.chunks.push((delta << 4) | field.type);
      else {
        this.chunks.push(field.type);
        this.varint(zigzag(BigInt(field.id)));
      }
      lastId = field.id;
      if (field.value.kind !== 'bool') this.writeValue(field.value);
    }
    this.chunks.push(0);
  }

  private writeValue(value: ThriftValue): void {
    switch (value.kind) {
      case 'int': this.varint(zigzag(value.value)); return;
      case 'raw': this.push(value.bytes); return;
      case 'binary': {
        this.varint(BigInt(value.bytes.length));
        this.push(value.bytes);
        return;
      }
      case 'list': {
        const size = value.items.length;
        if (size < 15) this.chunks.push((size << 4) | value.elementType);
        else {
          this.chunks.push(0xf0 | value.elementType);
          this.varint(BigInt(size));
        }
        value.items.forEach((item) => this.writeValue(item));
        return;
      }
      case 'map': {
        this.varint(BigInt(value.entries.length));
        if (value.entries.length === 0) return;
        this.chunks.push((value.keyType << 4) | value.valueType);
        for (const [k, v] of value.entries) {
          this.writeValue(k);
          this.writeValue(v);
        }
        return;
      }
      case 'struct': this.writeStruct(value); return;
      case 'bool': return;
    }
  }

  private push(bytes: Uint8Array): void {
    for (const b of bytes) this.chunks.push(b);
  }

  private varint(value: bigint): void {
    let rest = value;
    while (rest >= 0x80n) {
      this.chunks.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.chunks.push(Number(rest));
  }
}

function zigzag(n: bigint): bigint {
  return n >= 0n ? n << 1n : ((-n) << 1n) - 1n;
}

function unzigzag(n: bigint): bigint {
  return (n & 1n) === 0n ? n >> 1n : -((n + 1n) >> 1n);
}
