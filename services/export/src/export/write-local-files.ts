import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportFormat } from '../formats/index.ts';
import { sqlPath, sqlString, type ExportEngine } from '../shards/export-engine.ts';
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

/**
 * The rows of one config's split, as a relation further conditions can be ANDed to. split_index
 * numbers them in table order (rn order: one thread, insertion order kept), before any shard's
 * rn range applies.
 */
export function configRows(format: Pick<ExportFormat, 'where'>, split: string): string {
  return `(SELECT *, row_number() OVER () - 1 AS split_index FROM samples WHERE split = ${sqlString(split)} AND (${format.where})) WHERE true`;
}

export async function fileDigest(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { bytes: (await stat(path)).size, sha256: hash.digest('hex') };
}

/**
 * Writes every data file and lineage.parquet under `outDir` in the snapshot's layout from the
 * engine's `samples` table (load-samples.ts) and returns them with sizes and hashes, data files
 * in (config, split, shard) order.
 */
export async function writeLocalFiles(
  engine: ExportEngine, formats: readonly ExportFormat[], outDir: string, layout: ParquetLayout,
  onFile?: (path: string) => void,
): Promise<{ files: LocalFile[]; counts: Record<string, Record<string, number>> }> {
  const files: LocalFile[] = [];
  const counts: Record<string, Record<string, number>> = {};
  for (const format of formats) {
    counts[format.name] = {};
    const configDir = join(outDir, 'data', format.name);
    await mkdir(configDir, { recursive: true });
    const splits = await engine.query<{ split: string; n: number }>(
      `SELECT split, count(*)::DOUBLE AS n FROM samples WHERE ${format.where} GROUP BY split ORDER BY split`);
    for (const { split, n } of splits) {
      counts[format.name]![split] = n;
      const from = configRows(format, split);
      const shards = format.fileType === 'parquet'
        ? await writeParquetShards(engine, { from, weight: 'bytes' }, selectList(format.columns, format.select), split, configDir, layout)
        : await writeJsonlShards(engine, from, format.line, split, configDir, layout.shardTargetBytes);
      for (const shard of shards) {
        const path = `data/${format.name}/${shard.fileName}`;
        files.push({ path, localPath: shard.localPath, rows: shard.rows, config: format.name, split, ...(await fileDigest(shard.localPath)) });
        onFile?.(path);
      }
    }
  }
  files.push(await writeLineage(engine, formats, join(outDir, 'lineage.parquet')));
  return { files, counts };
}

/**
 * lineage.parquet: sample_id, split, user_key (the pseudonymous split key, never the raw user
 * id: it lets an erasure find the snapshots that held a user), event_ids, and the configs the
 * sample has a row in — for every sample that made it into at least one config.
 */
async function writeLineage(engine: ExportEngine, formats: readonly ExportFormat[], to: string): Promise<LocalFile> {
  const configs = `list_filter([${formats.map((f) => `CASE WHEN ${f.where} THEN ${sqlString(f.name)} END`).join(', ')}]::VARCHAR[], c -> c IS NOT NULL)`;
  const from = `(SELECT sample_id, split, user_key, event_ids, ${configs} AS configs FROM samples) WHERE len(configs) > 0`;
  await engine.run(`COPY (SELECT * FROM ${from}) TO ${sqlPath(to)} (FORMAT parquet, COMPRESSION zstd)`);
  const [counted] = await engine.query<{ n: number }>(`SELECT count(*)::DOUBLE AS n FROM ${from}`);
  return { path: 'lineage.parquet', localPath: to, rows: counted?.n ?? 0, ...(await fileDigest(to)) };
}
