import { createHash } from 'node:crypto';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { ThriftReader, ThriftWriter, type ThriftField, type ThriftValue } from './thrift-compact.ts';

const MAGIC = Buffer.from('PAR1');

/**
 * Field ids of the Parquet footer (parquet.thrift) that hold absolute file offsets, and the ones
 * this module rewrites: FileMetaData.num_rows / row_groups, RowGroup.file_offset / ordinal,
 * ColumnChunk.file_offset / offset_index_offset / column_index_offset / meta_data, and
 * ColumnMetaData's data, index, dictionary page and bloom filter offsets.
 */
const FILE = { numRows: 3, rowGroups: 4 } as const;
const ROW_GROUP = { columns: 1, fileOffset: 5, ordinal: 7 } as const;
const COLUMN_CHUNK_OFFSETS = [2, 4, 6];
const COLUMN_CHUNK_META = 3;
const COLUMN_META_OFFSETS = [9, 10, 11, 14];

interface Piece {
  bytes: Buffer;
  /** Where the footer starts: the data region is bytes [4, footerStart). */
  footerStart: number;
  footer: ThriftValue & { kind: 'struct' };
}

async function readPiece(path: string): Promise<Piece> {
  const bytes = await readFile(path);
  const length = bytes.length >= 12 ? bytes.readUInt32LE(bytes.length - 8) : -1;
  const footerStart = bytes.length - 8 - length;
  if (length < 0 || footerStart < 4 || !bytes.subarray(0, 4).equals(MAGIC) || !bytes.subarray(bytes.length - 4).equals(MAGIC)) {
    throw new Error(`${path} is not a Parquet file`);
  }
  const footer = new ThriftReader(bytes.subarray(footerStart, bytes.length - 8)).readStruct();
  return { bytes, footerStart, footer };
}

function field(struct: { fields: ThriftField[] }, id: number): ThriftField | undefined {
  return struct.fields.find((f) => f.id === id);
}

function shiftInts(struct: ThriftValue, ids: readonly number[], by: bigint): void {
  if (struct.kind !== 'struct') return;
  for (const f of struct.fields) if (ids.includes(f.id) && f.value.kind === 'int') f.value = { kind: 'int', value: f.value.value + by };
}

/** A piece's row groups, their offsets moved by `by` bytes and numbered from `firstOrdinal`. */
function movedRowGroups(piece: Piece, by: bigint, firstOrdinal: number): ThriftValue[] {
  const list = field(piece.footer, FILE.rowGroups)?.value;
  if (list?.kind !== 'list') return [];
  return list.items.map((rowGroup, k) => {
    if (rowGroup.kind !== 'struct') return rowGroup;
    shiftInts(rowGroup, [ROW_GROUP.fileOffset], by);
    const ordinal = field(rowGroup, ROW_GROUP.ordinal);
    if (ordinal) ordinal.value = { kind: 'int', value: BigInt(firstOrdinal + k) };
    const columns = field(rowGroup, ROW_GROUP.columns)?.value;
    for (const chunk of columns?.kind === 'list' ? columns.items : []) {
      shiftInts(chunk, COLUMN_CHUNK_OFFSETS, by);
      if (chunk.kind === 'struct') {
        const meta = field(chunk, COLUMN_CHUNK_META);
        if (meta) shiftInts(meta.value, COLUMN_META_OFFSETS, by);
      }
    }
    return rowGroup;
  });
}

/** Size and SHA-256 of a file, as the manifest lists it. */
export interface FileDigest {
  bytes: number;
  sha256: string;
}

/**
 * Joins Parquet files of the same schema, written one after another from consecutive rows, into
 * one file without decoding a page: the pieces' column chunks are copied as they are, and one
 * footer — the first piece's, with every row group and the total row count — points at them.
 * The result depends only on the pieces' bytes, so pieces written side by side give the same file
 * as pieces written in turn.
 *
 * Pieces are appended in order as they become ready (a file's first pieces are copied while its
 * last ones are still being written), and the file is hashed as it is written, so it is never
 * read back to be listed in the manifest.
 */
export class ParquetJoiner {
  readonly #out: FileHandle;
  readonly #hash = createHash('sha256');
  #offset = 0;
  #rows = 0n;
  readonly #rowGroups: ThriftValue[] = [];
  #first: Piece | undefined;

  private constructor(out: FileHandle) {
    this.#out = out;
  }

  static async create(to: string): Promise<ParquetJoiner> {
    const joiner = new ParquetJoiner(await open(to, 'w'));
    await joiner.#write(MAGIC);
    return joiner;
  }

  async #write(bytes: Uint8Array): Promise<void> {
    this.#hash.update(bytes);
    this.#offset += bytes.length;
    await this.#out.write(bytes);
  }

  /** Appends the next piece: its row groups follow those of the pieces appended before it. */
  async append(path: string): Promise<void> {
    const piece = await readPiece(path);
    this.#first ??= piece;
    this.#rowGroups.push(...movedRowGroups(piece, BigInt(this.#offset - MAGIC.length), this.#rowGroups.length));
    const counted = field(piece.footer, FILE.numRows)?.value;
    this.#rows += counted?.kind === 'int' ? counted.value : 0n;
    await this.#write(piece.bytes.subarray(MAGIC.length, piece.footerStart));
  }

  /** Writes the footer and closes the file. */
  async finish(): Promise<FileDigest> {
    try {
      if (!this.#first) throw new Error('no Parquet pieces to join');
      const footer = this.#first.footer;
      const total = field(footer, FILE.numRows);
      const groups = field(footer, FILE.rowGroups);
      if (total) total.value = { kind: 'int', value: this.#rows };
      if (groups?.value.kind === 'list') groups.value = { ...groups.value, items: this.#rowGroups };
      const writer = new ThriftWriter();
      writer.writeStruct(footer);
      const encoded = writer.bytes();
      const length = Buffer.alloc(4);
      length.writeUInt32LE(encoded.length);
      await this.#write(Buffer.concat([encoded, length, MAGIC]));
      return { bytes: this.#offset, sha256: this.#hash.digest('hex') };
    } finally {
      await this.#out.close();
    }
  }

  /** Closes the file without finishing it (the caller removes it). */
  async abandon(): Promise<void> {
    await this.#out.close().catch(() => undefined);
  }
}

/** Joins `pieces`, in that order, into `to` (see ParquetJoiner). */
export async function concatParquet(pieces: readonly string[], to: string): Promise<FileDigest> {
  const joiner = await ParquetJoiner.create(to);
  try {
    for (const path of pieces) await joiner.append(path);
  } catch (error) {
    await joiner.abandon();
    throw error;
  }
  return joiner.finish();
}
