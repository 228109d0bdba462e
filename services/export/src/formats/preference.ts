import { float64, string } from './column-types.ts';
import { messagesType, toolsJson, trlMessages } from './messages.ts';
import { metadataColumns, metadataValues } from './metadata-columns.ts';
import type { ParquetFormat } from './types.ts';

/**
 * TRL conversational preference (DPOTrainer, RewardTrainer, ORPO…) with an explicit prompt. Only
 * samples whose signals produced a pair (an edit, a correction, a regeneration) have a row.
 */
export const preferenceFormat: ParquetFormat = {
  name: 'preference',
  fileType: 'parquet',
  description: 'Conversational preference (TRL DPOTrainer): `prompt`, `chosen`, `rejected`, optional `margin`.',
  columns: [
    ['prompt', messagesType], ['chosen', messagesType], ['rejected', messagesType], ['margin', float64], ['tools', string],
    ...metadataColumns,
  ],
  includes: (sample) => sample.labels.preference !== null,
  toRow: (sample) => {
    const pair = sample.labels.preference!;
    return {
      prompt: trlMessages(sample.prompt),
      chosen: trlMessages(pair.chosen),
      rejected: trlMessages(pair.rejected),
      margin: pair.margin ?? null,
      tools: toolsJson(sample.tools),
      ...metadataValues(sample),
    };
  },
};
