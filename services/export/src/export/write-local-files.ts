import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { list, readJsonColumns, string, type Columns } from '../formats/column-types.ts';
import type { ExportFormat } from '../formats/index.ts';
import { sqlPath, type ExportEngine } from '../shards/export-engine.ts';
import { writeJsonlShards } from '../shards/jsonl-shards.ts';
import { writeParquetShards, type ParquetLayout } from '../shards/parquet-shards.ts';
import type { StagedSnapshot } from './stage-samples.ts';

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

const lineageColumns: Columns = [
  ['sample_id', string],
  ['split', string],
  // The pseudonymous split key (never the raw user id): lets an erasure find the snapshots that held a user.
  ['user_key', string],
  ['event_ids', list(string)],
  ['configs', list(string)],
];

export async function fileDigest(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { bytes: (await stat(path)).size, sha256: hash.digest('hex') };
}

/**
 * Writes every data file and lineage.parquet under `outDir` in the snapshot's layout and returns
 * them with sizes and hashes, data files in (config, split, shard) order.
 */
export async function writeLocalFiles(
  engine: ExportEngine, staged: StagedSnapshot, formats: readonly ExportFormat[], outDir: string, layout: ParquetLayout,
  onFile?: (path: string) => void,
): Promise<{ files: LocalFile[]; counts: Record<string, Record<string, number>> }> {
  const files: LocalFile[] = [];
  const counts: Record<string, Record<string, number>> = {};
  for (const format of formats) {
    counts[format.name] = {};
    const configDir = join(outDir, 'data', format.name);
    await mkdir(configDir, { recursive: true });
    for (const [split, rows] of staged.rows.get(format.name) ?? []) {
      counts[format.name]![split] = rows.rows;
      const shards = format.fileType === 'parquet'
        ? await writeParquetShards(engine, rows, format.columns, split, configDir, layout)
        : await writeJsonlShards(rows, split, configDir, layout.shardTargetBytes);
      for (const shard of shards) {
        const path = `data/${format.name}/${shard.fileName}`;
        files.push({ path, localPath: shard.localPath, rows: shard.rows, config: format.name, split, ...(await fileDigest(shard.localPath)) });
        onFile?.(path);
      }
    }
  }
  const lineagePath = join(outDir, 'lineage.parquet');
  await engine.run(`COPY (SELECT * FROM read_json(${sqlPath(staged.lineage.path)}, format = 'newline_delimited',
      columns = ${readJsonColumns(lineageColumns)})) TO ${sqlPath(lineagePath)} (FORMAT parquet, COMPRESSION zstd)`);
  files.push({ path: 'lineage.parquet', localPath: lineagePath, rows: staged.lineage.rows, ...(await fileDigest(lineagePath)) });
  return { files, counts };
}
