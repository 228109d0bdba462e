import { hashFile } from '@sluice/core';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { duckDbType, type Columns } from '../formats/column-types.ts';
import { sqlPath, type EngineConnection, type ExportEngine } from './export-engine.ts';
import { ParquetJoiner, type FileDigest } from './parquet-concat.ts';
import { shardFileName } from './shard-names.ts';
import { shardRanges, splitTotals, type SplitRows } from './shard-ranges.ts';

/** Rows of a Parquet config's split, which can also be read a slice at a time. */
export interface ParquetRows extends SplitRows {
  /**
   * The rows with `rn` in first..last, with `split_index` (their position in the split) when the
   * config reads it, counted from `start`, the position of the first of them.
   */
  slice(first: number, last: number, start: number): string;
}

export interface ParquetLayout {
  /** Target size of one shard file; a split is cut into ceil(size / target) shards. */
  shardTargetBytes: number;
  /** Target uncompressed bytes per row group (estimated from the samples' JSON), so a streaming reader holds one at a time. */
  rowGroupTargetBytes: number;
}

export interface LocalShard extends FileDigest {
  fileName: string;
  localPath: string;
  rows: number;
}

/** DuckDB fills row groups in vectors of 2048 rows; its own default is 122,880 rows. */
const MIN_ROW_GROUP_ROWS = 2048;
const MAX_ROW_GROUP_ROWS = 122_880;

export function rowGroupRows(rows: number, bytes: number, targetBytes: number): number {
  const averageRowBytes = bytes / Math.max(1, rows);
  return Math.min(MAX_ROW_GROUP_ROWS, Math.max(MIN_ROW_GROUP_ROWS, Math.floor(targetBytes / Math.max(1, averageRowBytes))));
}

/** The column list of a config: each expression cast to its declared type, so the schema never depends on the data. */
export function selectList(columns: Columns, select: Readonly<Record<string, string>>): string {
  return columns.map(([name, type]) => `CAST(${select[name]} AS ${duckDbType(type)}) AS "${name}"`).join(', ');
}

async function copyToParquet(engine: EngineConnection, columns: string, from: string, to: string, rowGroup: number): Promise<void> {
  // No file-level timestamps: DuckDB's writer records only its version, so equal rows give equal bytes.
  // No ORDER BY: the rows come in the samples table's order, which is rn order (load-samples.ts).
  await engine.run(`COPY (SELECT ${columns} FROM ${from}) TO ${sqlPath(to)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroup})`);
}

/**
 * Writes the rows with `rn` in first..last as one Parquet file, one row group at a time: each
 * row group of `rowGroup` rows (cut by position, before anything is written) is a file of its
 * own, written on a one-thread writer connection of its own, side by side with the others; the
 * pieces are joined in order, as they are ready, without re-encoding (parquet-concat.ts). So a
 * file is written on every core and its bytes still depend only on its rows and the row group
 * size. `range.start` is the position in the split of the range's first row.
 */
async function writeParquetFile(
  engine: ExportEngine, rows: ParquetRows, columns: string, range: { first: number; last: number; start: number }, to: string, rowGroup: number,
): Promise<FileDigest> {
  const pieces = await engine.withWriter((connection) => connection.query<{ first: number; last: number; start: number }>(
    `SELECT min(rn)::DOUBLE AS first, max(rn)::DOUBLE AS last, (min(i) + ${range.start})::DOUBLE AS start FROM (
       SELECT rn, row_number() OVER () - 1 AS i FROM ${rows.from} AND rn BETWEEN ${range.first} AND ${range.last}
     ) GROUP BY i // ${rowGroup} ORDER BY first`));
  if (pieces.length <= 1) {
    await engine.withWriter((connection) => copyToParquet(connection, columns, rows.slice(range.first, range.last, range.start), to, rowGroup));
    const { size, sha256 } = await hashFile(to);
    return { bytes: size, sha256 };
  }
  const paths = pieces.map((_, k) => `${to}.piece-${k}`);
  // Every piece is queued at once; each settles into a value, so none is left running (or
  // rejected unheard) when the join stops early.
  const written = pieces.map((piece, k) => engine.withWriter((connection) =>
    copyToParquet(connection, columns, rows.slice(piece.first, piece.last, piece.start), paths[k]!, rowGroup))
    .then(() => null, (error: unknown) => ({ error })));
  const joiner = await ParquetJoiner.create(to);
  try {
    for (const [k, path] of paths.entries()) {
      const failed = await written[k]!;
      if (failed) throw failed.error;
      await joiner.append(path);
      await rm(path);
    }
    return await joiner.finish();
  } catch (error) {
    await joiner.abandon();
    await Promise.all(written);
    throw error;
  } finally {
    await Promise.all(paths.map((path) => rm(path, { force: true })));
  }
}

/**
 * Writes one split of one config as Parquet shards. The split is first written whole; when that
 * file exceeds the target it is rewritten as N shards cut between rows at equal sample bytes, so
 * the shard count (which is in every file name) is known before any shard is named, and the same
 * rows always give the same cut.
 */
export async function writeParquetShards(
  engine: ExportEngine, rows: ParquetRows, columns: string, split: string, workDir: string, layout: ParquetLayout,
): Promise<LocalShard[]> {
  const totals = await engine.withWriter((connection) => splitTotals(connection, rows));
  const rowGroup = rowGroupRows(totals.rows, totals.bytes, layout.rowGroupTargetBytes);
  const whole = join(workDir, `${split}.whole.parquet`);
  const digest = await writeParquetFile(engine, rows, columns, { first: 0, last: Number.MAX_SAFE_INTEGER, start: 0 }, whole, rowGroup);
  const count = Math.min(totals.rows, Math.max(1, Math.ceil(digest.bytes / layout.shardTargetBytes)));
  if (count === 1) {
    const fileName = shardFileName(split, 0, 1, 'parquet');
    await rename(whole, join(workDir, fileName));
    return [{ fileName, localPath: join(workDir, fileName), rows: totals.rows, ...digest }];
  }
  await rm(whole);
  const ranges = await engine.withWriter((connection) => shardRanges(connection, rows, count, totals.bytes));
  const shards: LocalShard[] = [];
  let start = 0;
  for (const [i, range] of ranges.entries()) {
    const fileName = shardFileName(split, i, ranges.length, 'parquet');
    const written = await writeParquetFile(engine, rows, columns, { ...range, start }, join(workDir, fileName), rowGroup);
    shards.push({ fileName, localPath: join(workDir, fileName), rows: range.rows, ...written });
    start += range.rows;
  }
  return shards;
}
