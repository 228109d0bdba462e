import { SluiceError, type CurationStore, type Sample } from '@sluice/core';
import { join } from 'node:path';
import type { ExportFormat } from '../formats/index.ts';
import { SPLIT_NAME } from '../snapshot/layout.ts';
import { StagedRows } from '../shards/staged-rows.ts';

export interface StagedSnapshot {
  /** config → split → staged rows, splits in sorted order. */
  rows: Map<string, Map<string, StagedRows>>;
  /** sample_id, split, user_key, event_ids, configs — of every sample that made it into a config. */
  lineage: StagedRows;
  samples: number;
}

/**
 * One pass over the run's samples (ordered by sample_id, so output order is reproducible):
 * each sample is turned into a row of every config that takes it and appended to that
 * config's split file. Memory stays bounded by the scan batch and the staging buffers.
 */
export async function stageSamples(
  store: CurationStore, runId: string, formats: readonly ExportFormat[], dir: string,
  onBatch?: (samples: number) => void,
): Promise<StagedSnapshot> {
  const rows = new Map<string, Map<string, StagedRows>>(formats.map((f) => [f.name, new Map()]));
  const lineage = new StagedRows(join(dir, 'lineage.jsonl'));
  let samples = 0;
  const stagedFor = (config: string, split: string): StagedRows => {
    const splits = rows.get(config)!;
    let staged = splits.get(split);
    if (!staged) {
      staged = new StagedRows(join(dir, `${config}.${split}.jsonl`));
      splits.set(split, staged);
    }
    return staged;
  };

  for await (const batch of store.scanSamples({ runId })) {
    for (const sample of batch) {
      assertSplit(sample);
      const configs: string[] = [];
      for (const format of formats) {
        if (!format.includes(sample)) continue;
        const staged = stagedFor(format.name, sample.split);
        staged.add(JSON.stringify(format.toRow(sample, staged.rows)));
        configs.push(format.name);
      }
      if (configs.length > 0) {
        lineage.add(JSON.stringify({ sample_id: sample.sampleId, split: sample.split, user_key: sample.userKey, event_ids: sample.lineage, configs }));
      }
    }
    samples += batch.length;
    await Promise.all([...rows.values()].flatMap((splits) => [...splits.values()]).filter((s) => s.needsFlush).map((s) => s.flush()));
    if (lineage.needsFlush) await lineage.flush();
    onBatch?.(samples);
  }
  await Promise.all([...rows.values()].flatMap((splits) => [...splits.values()]).map((s) => s.close()));
  await lineage.close();
  for (const [config, splits] of rows) rows.set(config, new Map([...splits].sort(([a], [b]) => (a < b ? -1 : 1))));
  return { rows, lineage, samples };
}

function assertSplit(sample: Sample): void {
  if (!SPLIT_NAME.test(sample.split)) {
    throw new SluiceError('SLUICE_ERR_EXPORT_FAILED', `sample ${sample.sampleId} has split ${JSON.stringify(sample.split)}; split names must be letters, digits and '_'`);
  }
}
