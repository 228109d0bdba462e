import { crc32 } from 'node:zlib';

/**
 * One record of the staging log (docs/decisions/0010, 0013): what one group commit acknowledged, laid
 * out as
 *
 *   magic u32 | length u32 | crc32 u32 | seq u64 | events u32 | bodies length u32 | bodies | meta
 *
 * little-endian. `length` counts every byte after the crc (so a record is 12 + length bytes) and
 * the CRC-32 (node:zlib) covers exactly those bytes. `bodies` and `meta` are what one ingest_log
 * row held (ingest-log.ts): the accepted entries' bytes and the envelope JSON. The magic tells the
 * meta's layout: 'SLG2' (version 2, decision 0013) is what this version writes; 'SLG1' records
 * (version 1, every column listed per entry) may be left by an older version and are still read.
 */
export const RECORD_MAGIC = 0x32474c53; // 'SLG2'
const VERSION_1_MAGIC = 0x31474c53; // 'SLG1'
export const PREFIX_BYTES = 12;
export const HEADER_BYTES = 28;

export interface StagingRecord {
  /** The meta layout: 2 (ingest-log.ts) or 1 (legacy-ingest-log.ts). */
  version: RecordVersion;
  seq: number;
  events: number;
  bodies: Buffer;
  meta: Buffer;
}

export type RecordVersion = 1 | 2;

/** The record as buffers for one writev: header, bodies, meta (no copy of the bodies). */
export function encodeRecord(record: StagingRecord): { chunks: Buffer[]; size: number } {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  const length = HEADER_BYTES - PREFIX_BYTES + record.bodies.length + record.meta.length;
  header.writeUInt32LE(record.version === 1 ? VERSION_1_MAGIC : RECORD_MAGIC, 0);
  header.writeUInt32LE(length, 4);
  header.writeBigUInt64LE(BigInt(record.seq), 12);
  header.writeUInt32LE(record.events, 20);
  header.writeUInt32LE(record.bodies.length, 24);
  const crc = crc32(record.meta, crc32(record.bodies, crc32(header.subarray(PREFIX_BYTES))));
  header.writeUInt32LE(crc, 8);
  return { chunks: [header, record.bodies, record.meta], size: PREFIX_BYTES + length };
}

/** Why the bytes at some offset are not a whole, intact record. */
export type RecordFault = 'short' | 'magic' | 'length' | 'crc';

export type Decoded = { record: StagingRecord; size: number } | { fault: RecordFault; size: number | null };

/**
 * Decodes the record starting at `offset` of `buffer`. `size` on a fault is the size its header
 * claims (null when even that is unreadable), so recovery can tell a torn tail from damage inside.
 */
export function decodeRecord(buffer: Buffer, offset: number): Decoded {
  const available = buffer.length - offset;
  if (available < PREFIX_BYTES) return { fault: 'short', size: null };
  const magic = buffer.readUInt32LE(offset);
  if (magic !== RECORD_MAGIC && magic !== VERSION_1_MAGIC) return { fault: 'magic', size: null };
  const length = buffer.readUInt32LE(offset + 4);
  const size = PREFIX_BYTES + length;
  if (length < HEADER_BYTES - PREFIX_BYTES) return { fault: 'length', size: null };
  if (size > available) return { fault: 'short', size };
  const crc = crc32(buffer.subarray(offset + PREFIX_BYTES, offset + size));
  if (crc !== buffer.readUInt32LE(offset + 8)) return { fault: 'crc', size };
  const bodiesLength = buffer.readUInt32LE(offset + 24);
  if (HEADER_BYTES + bodiesLength > size) return { fault: 'length', size };
  const bodiesStart = offset + HEADER_BYTES;
  return {
    size,
    record: {
      version: magic === VERSION_1_MAGIC ? 1 : 2,
      seq: Number(buffer.readBigUInt64LE(offset + 12)),
      events: buffer.readUInt32LE(offset + 20),
      bodies: buffer.subarray(bodiesStart, bodiesStart + bodiesLength),
      meta: buffer.subarray(bodiesStart + bodiesLength, offset + size),
    },
  };
}
