import { bool, float64, string } from './column-types.ts';
import { messagesType, toolsJson, trlMessages } from './messages.ts';
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
  includes: (sample) => sample.labels.kto !== null,
  toRow: (sample) => ({
    prompt: trlMessages(sample.prompt),
    completion: trlMessages(sample.completion),
    label: sample.labels.kto,
    tools: toolsJson(sample.tools),
    sample_id: sample.sampleId,
    source: sample.source,
    model: sample.model,
    reward: sample.labels.reward,
  }),
};
