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

/** Their SQL over the samples table. */
export const metadataSelect: Readonly<Record<string, string>> = {
  sample_id: 'sample_id',
  source: 'source',
  model: 'model',
  reward: 'reward',
  label: 'kto',
};
