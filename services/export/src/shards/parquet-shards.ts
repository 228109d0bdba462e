import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { duckDbType, type Columns } from '../formats/column-types.ts';
import { sqlPath, type EngineConnection } from './export-engine.ts';
import { shardFileName } from './shard-names.ts';
import { shardRanges, splitTotals, type SplitRows } from './shard-ranges.ts';

export interface ParquetLayout {
  /** Target size of one shard file; a split is cut into ceil(size / target) shards. */
  shardTargetBytes: number;
  /** Target uncompressed bytes per row group (estimated from the samples' JSON), so a streaming reader holds one at a time. */
  rowGroupTargetBytes: number;
}

export interface LocalShard {
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
  await engine.run(`COPY (SELECT ${columns} FROM ${from}) TO ${sqlPath(to)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroup})`);
}

/**
 * Writes one split of one config as Parquet shards. The split is first written whole; when that
 * file exceeds the target it is rewritten as N shards cut between rows at equal sample bytes, so
 * the shard count (which is in every file name) is known before any shard is named, and the same
 * rows always give the same cut.
 */
export async function writeParquetShards(
  engine: EngineConnection, rows: SplitRows, columns: string, split: string, workDir: string, layout: ParquetLayout,
): Promise<LocalShard[]> {
  const totals = await splitTotals(engine, rows);
  const rowGroup = rowGroupRows(totals.rows, totals.bytes, layout.rowGroupTargetBytes);
  const whole = join(workDir, `${split}.whole.parquet`);
  await copyToParquet(engine, columns, rows.from, whole, rowGroup);
  const { size } = await stat(whole);
  const count = Math.min(totals.rows, Math.max(1, Math.ceil(size / layout.shardTargetBytes)));
  if (count === 1) {
    const fileName = shardFileName(split, 0, 1, 'parquet');
    await rename(whole, join(workDir, fileName));
    return [{ fileName, localPath: join(workDir, fileName), rows: totals.rows }];
  }
  await rm(whole);
  const ranges = await shardRanges(engine, rows, count, totals.bytes);
  const shards: LocalShard[] = [];
  for (const [i, range] of ranges.entries()) {
    const fileName = shardFileName(split, i, ranges.length, 'parquet');
    await copyToParquet(engine, columns, `${rows.from} AND rn BETWEEN ${range.first} AND ${range.last}`, join(workDir, fileName), rowGroup);
    shards.push({ fileName, localPath: join(workDir, fileName), rows: range.rows });
  }
  return shards;
}
