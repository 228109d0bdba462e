import type { Sample } from '@sluice/core';
import { bool, float64, string, type Columns } from './column-types.ts';

/**
 * Columns every TRL config carries besides its training columns, so a trainer can filter or
 * weight rows (by source, model, reward) and trace one back to its lineage by sample_id.
 * TRL ignores columns it does not use.
 */
export const metadataColumns: Columns = [
  ['sample_id', string],
  ['source', string],
  ['model', string],
  ['reward', float64],
  ['label', bool],
];

export function metadataValues(sample: Sample): Record<string, unknown> {
  return {
    sample_id: sample.sampleId,
    source: sample.source,
    model: sample.model,
    reward: sample.labels.reward,
    label: sample.labels.kto,
  };
}
