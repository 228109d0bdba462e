import { hashFile } from '@sluice/core';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportFormat } from '../formats/index.ts';
import { sqlPath, sqlString, type EngineConnection, type ExportEngine } from '../shards/export-engine.ts';
import type { FileDigest } from '../shards/parquet-concat.ts';
import { writeJsonlShards } from '../shards/jsonl-shards.ts';
import { selectList, writeParquetShards, type ParquetLayout } from '../shards/parquet-shards.ts';

export interface LocalFile {
  /** Relative to the snapshot directory. */
  path: string;
  localPath: string;
  rows: number | null;
  bytes: number;
  sha256: string;
  config?: string;
  split?: string;
}

/** Whether a config has a column that reads `split_index`: only then is it computed (a window over the rows). */
export function numbersRows(format: ExportFormat): boolean {
  return format.fileType === 'parquet' && Object.values(format.select).some((sql) => /\bsplit_index\b/.test(sql));
}

/**
 * The rows of one config's split, in rn order (the samples table's own order, see
 * load-samples.ts), as a relation further conditions can be ANDed to. When the config reads it
 * (numbersRows), split_index numbers them in that order, before any condition ANDed to it applies.
 */
export function configRows(format: ExportFormat, split: string): string {
  const rows = `samples WHERE split = ${sqlString(split)} AND (${format.where})`;
  return numbersRows(format) ? `(SELECT *, row_number() OVER () - 1 AS split_index FROM ${rows}) WHERE true` : rows;
}

/** The rows of configRows with `rn` in first..last, whose first row is number `start` of the split. */
export function configRowsSlice(format: ExportFormat, split: string, first: number, last: number, start: number): string {
  const rows = `samples WHERE split = ${sqlString(split)} AND (${format.where}) AND rn BETWEEN ${first} AND ${last}`;
  return numbersRows(format) ? `(SELECT *, row_number() OVER () - 1 + ${start} AS split_index FROM ${rows}) WHERE true` : rows;
}

export async function fileDigest(path: string): Promise<FileDigest> {
  const { size, sha256 } = await hashFile(path);
  return { bytes: size, sha256 };
}

/**
 * Writes every data file and lineage.parquet under `outDir` in the snapshot's layout from the
 * engine's `samples` table (load-samples.ts) and returns them with sizes and hashes, data files
 * in (config, split, shard) order, then the lineage. Each split of each config is one job on a
 * writer connection of its own (a Parquet split one per row group): jobs run side by side,
 * biggest first, each file still written on one thread. `onFile` hears of each file as soon as it
 * is complete.
 */
export async function writeLocalFiles(
  engine: ExportEngine, formats: readonly ExportFormat[], outDir: string, layout: ParquetLayout,
  onFile?: (file: LocalFile) => void,
): Promise<{ files: LocalFile[]; counts: Record<string, Record<string, number>> }> {
  const counts: Record<string, Record<string, number>> = {};
  const splits: { format: ExportFormat; split: string; rows: number; configDir: string }[] = [];
  for (const format of formats) {
    counts[format.name] = {};
    const configDir = join(outDir, 'data', format.name);
    await mkdir(configDir, { recursive: true });
    const found = await engine.query<{ split: string; n: number }>(
      `SELECT split, count(*)::DOUBLE AS n FROM samples WHERE ${format.where} GROUP BY split ORDER BY split`);
    for (const { split, n } of found) {
      counts[format.name]![split] = n;
      splits.push({ format, split, rows: n, configDir });
    }
  }
  // A Parquet split takes a writer per row group (parquet-shards.ts), a JSON Lines split one writer.
  const writeSplit = async ({ format, split, configDir }: (typeof splits)[number]) => {
    const from = configRows(format, split);
    const rows = { from, weight: 'bytes', slice: (first: number, last: number, start: number) => configRowsSlice(format, split, first, last, start) };
    const shards = format.fileType === 'parquet'
      ? await writeParquetShards(engine, rows, selectList(format.columns, format.select), split, configDir, layout)
      : await engine.withWriter((connection) => writeJsonlShards(connection, from, format.line, split, configDir, layout.shardTargetBytes));
    const files: LocalFile[] = [];
    for (const shard of shards) {
      const file: LocalFile = {
        path: `data/${format.name}/${shard.fileName}`, localPath: shard.localPath, rows: shard.rows, config: format.name, split,
        bytes: shard.bytes, sha256: shard.sha256,
      };
      files.push(file);
      onFile?.(file);
    }
    return files;
  };
  // Started biggest first (the longest job should not start last); collected in layout order.
  const started = new Map<(typeof splits)[number], Promise<LocalFile[]>>();
  for (const job of [...splits].sort((a, b) => b.rows - a.rows)) started.set(job, writeSplit(job));
  // Every job settles before this returns or throws: none is left running on the engine.
  const settled = await Promise.allSettled(splits.map((job) => started.get(job)!));
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  // The lineage last: it is small, and is written while the last data file is being uploaded
  // rather than holding a writer that the data files' row groups wait for.
  const lineage = await engine.withWriter((connection) => writeLineage(connection, formats, join(outDir, 'lineage.parquet')));
  onFile?.(lineage);
  return { files: [...settled.flatMap((result) => (result.status === 'fulfilled' ? result.value : [])), lineage], counts };
}

/**
 * lineage.parquet: sample_id, split, user_key (the pseudonymous split key, never the raw user
 * id: it lets an erasure find the snapshots that held a user), event_ids, and the configs the
 * sample has a row in — for every sample that made it into at least one config.
 */
async function writeLineage(engine: EngineConnection, formats: readonly ExportFormat[], to: string): Promise<LocalFile> {
  const configs = `list_filter([${formats.map((f) => `CASE WHEN ${f.where} THEN ${sqlString(f.name)} END`).join(', ')}]::VARCHAR[], c -> c IS NOT NULL)`;
  const from = `(SELECT rn, sample_id, split, user_key, event_ids, ${configs} AS configs FROM samples) WHERE len(configs) > 0`;
  await engine.run(`COPY (SELECT * EXCLUDE (rn) FROM ${from}) TO ${sqlPath(to)} (FORMAT parquet, COMPRESSION zstd)`);
  const [counted] = await engine.query<{ n: number }>(`SELECT count(*)::DOUBLE AS n FROM ${from}`);
  return { path: 'lineage.parquet', localPath: to, rows: counted?.n ?? 0, ...(await fileDigest(to)) };
}
