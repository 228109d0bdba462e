import { hashFile } from '@sluice/core';
import { join } from 'node:path';
import { sqlPath, type EngineConnection } from './export-engine.ts';
import type { LocalShard } from './parquet-shards.ts';
import { shardFileName } from './shard-names.ts';
import { shardRanges, splitTotals, type SplitRows } from './shard-ranges.ts';

/** Writes each row's text as one line, unquoted (JSON text never holds a raw tab or newline), in the table's (rn) order. */
async function copyLines(engine: EngineConnection, from: string, to: string): Promise<void> {
  await engine.run(`COPY (SELECT line FROM ${from}) TO ${sqlPath(to)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\t')`);
}

/**
 * JSON Lines configs (OpenAI fine-tuning files): the rows' text is built once into a table, then
 * cut into shards of about the target size between lines. OpenAI accepts files up to 512 MB, so
 * keep the target below that for these configs.
 */
export async function writeJsonlShards(
  engine: EngineConnection, from: string, line: string, split: string, workDir: string, shardTargetBytes: number,
): Promise<LocalShard[]> {
  await engine.run(`CREATE OR REPLACE TEMP TABLE jsonl_lines AS SELECT rn, ${line} AS line FROM ${from}`);
  try {
    const rows: SplitRows = { from: 'jsonl_lines WHERE true', weight: '(strlen(line) + 1)' };
    const totals = await splitTotals(engine, rows);
    const count = Math.min(totals.rows, Math.max(1, Math.ceil(totals.bytes / shardTargetBytes)));
    const ranges = count === 1 ? [{ first: 0, last: Number.MAX_SAFE_INTEGER, rows: totals.rows }] : await shardRanges(engine, rows, count, totals.bytes);
    const shards: LocalShard[] = [];
    for (const [i, range] of ranges.entries()) {
      const fileName = shardFileName(split, i, ranges.length, 'jsonl');
      const localPath = join(workDir, fileName);
      await copyLines(engine, `${rows.from} AND rn BETWEEN ${range.first} AND ${range.last}`, localPath);
      const { size, sha256 } = await hashFile(localPath);
      shards.push({ fileName, localPath, rows: range.rows, bytes: size, sha256 });
    }
    return shards;
  } finally {
    await engine.run('DROP TABLE IF EXISTS jsonl_lines');
  }
}
