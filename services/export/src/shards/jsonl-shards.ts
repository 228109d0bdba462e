import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalShard } from './parquet-shards.ts';
import { sliceLines } from './parquet-shards.ts';
import { shardFileName } from './shard-names.ts';
import { balancedCuts, type StagedRows } from './staged-rows.ts';

/**
 * JSON Lines configs (OpenAI fine-tuning files) are the staged rows themselves, cut into shards
 * of about the target size between lines. OpenAI accepts files up to 512 MB, so keep the target
 * below that for these configs.
 */
/** Consumes the staged file (it is moved or sliced into the shards). */
export async function writeJsonlShards(staged: StagedRows, split: string, workDir: string, shardTargetBytes: number): Promise<LocalShard[]> {
  const count = Math.min(staged.rows, Math.max(1, Math.ceil(staged.bytes / shardTargetBytes)));
  const cuts = balancedCuts(staged.lineEnds, count);
  const shards: LocalShard[] = [];
  for (let i = 0; i < count; i++) {
    const fileName = shardFileName(split, i, count, 'jsonl');
    const localPath = join(workDir, fileName);
    const [first, end] = [cuts[i]!, cuts[i + 1]!];
    if (count === 1) await rename(staged.path, localPath);
    else await sliceLines(staged, first, end, localPath);
    shards.push({ fileName, localPath, rows: end - first });
  }
  return shards;
}
