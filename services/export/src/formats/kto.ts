import { bool, float64, string } from './column-types.ts';
import { messagesType, TOOLS_JSON_SQL, trlMessagesSql } from './messages.ts';
import type { ParquetFormat } from './types.ts';

/**
 * TRL conversational unpaired preference (KTOTrainer): one completion and whether it was
 * desirable. Only samples with a known KTO label have a row; `label` is never null here.
 */
export const ktoFormat: ParquetFormat = {
  name: 'kto',
  fileType: 'parquet',
  description: 'Conversational unpaired preference (TRL KTOTrainer): `prompt`, `completion`, boolean `label`.',
  columns: [
    ['prompt', messagesType], ['completion', messagesType], ['label', bool], ['tools', string],
    ['sample_id', string], ['source', string], ['model', string], ['reward', float64],
  ],
  where: 'kto IS NOT NULL',
  select: {
    prompt: trlMessagesSql('prompt'),
    completion: trlMessagesSql('completion'),
    label: 'kto',
    tools: TOOLS_JSON_SQL,
    sample_id: 'sample_id',
    source: 'source',
    model: 'model',
    reward: 'reward',
  },
};
