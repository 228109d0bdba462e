import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { readJsonColumns, type Columns } from '../formats/column-types.ts';
import type { ExportEngine } from './export-engine.ts';
import { sqlPath } from './export-engine.ts';
import { shardFileName } from './shard-names.ts';
import { balancedCuts, type StagedRows } from './staged-rows.ts';

export interface ParquetLayout {
  /** Target size of one shard file; a split is cut into ceil(size / target) shards. */
  shardTargetBytes: number;
  /** Target uncompressed (JSON) bytes per row group, so a streaming reader holds one at a time. */
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

export function rowGroupRows(staged: StagedRows, targetBytes: number): number {
  const averageRowBytes = staged.bytes / Math.max(1, staged.rows);
  return Math.min(MAX_ROW_GROUP_ROWS, Math.max(MIN_ROW_GROUP_ROWS, Math.floor(targetBytes / averageRowBytes)));
}

async function copyToParquet(engine: ExportEngine, from: string, columns: Columns, to: string, rowGroup: number): Promise<void> {
  // No file-level timestamps: DuckDB's writer records only its version, so equal rows give equal bytes.
  await engine.run(`COPY (SELECT * FROM read_json(${sqlPath(from)}, format = 'newline_delimited',
      columns = ${readJsonColumns(columns)}, maximum_object_size = 268435456))
    TO ${sqlPath(to)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroup})`);
}

/**
 * Writes one split of one config as Parquet shards. The split is first written whole; when that
 * file exceeds the target it is rewritten as N shards cut between rows at equal staged bytes, so
 * the shard count (which is in every file name) is known before any shard is named, and the same
 * rows always give the same cut.
 */
export async function writeParquetShards(
  engine: ExportEngine, staged: StagedRows, columns: Columns, split: string, workDir: string, layout: ParquetLayout,
): Promise<LocalShard[]> {
  const rowGroup = rowGroupRows(staged, layout.rowGroupTargetBytes);
  const whole = join(workDir, `${split}.whole.parquet`);
  await copyToParquet(engine, staged.path, columns, whole, rowGroup);
  const { size } = await stat(whole);
  const count = Math.min(staged.rows, Math.max(1, Math.ceil(size / layout.shardTargetBytes)));
  if (count === 1) {
    const fileName = shardFileName(split, 0, 1, 'parquet');
    await rename(whole, join(workDir, fileName));
    return [{ fileName, localPath: join(workDir, fileName), rows: staged.rows }];
  }
  await rm(whole);
  const cuts = balancedCuts(staged.lineEnds, count);
  const shards: LocalShard[] = [];
  for (let i = 0; i < count; i++) {
    const [first, end] = [cuts[i]!, cuts[i + 1]!];
    const slice = join(workDir, `${split}.slice-${i}.jsonl`);
    await sliceLines(staged, first, end, slice);
    const fileName = shardFileName(split, i, count, 'parquet');
    await copyToParquet(engine, slice, columns, join(workDir, fileName), rowGroup);
    await rm(slice);
    shards.push({ fileName, localPath: join(workDir, fileName), rows: end - first });
  }
  return shards;
}

/** Copies rows [first, end) of the staged file to `to`. */
export async function sliceLines(staged: StagedRows, first: number, end: number, to: string): Promise<void> {
  const startByte = first === 0 ? 0 : staged.lineEnds[first - 1]!;
  const endByte = staged.lineEnds[end - 1]!;
  await pipeline(createReadStream(staged.path, { start: startByte, end: endByte - 1 }), createWriteStream(to));
}
