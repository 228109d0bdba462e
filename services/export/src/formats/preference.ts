import { float64, string } from './column-types.ts';
import { messagesType, TOOLS_JSON_SQL, trlMessagesSql } from './messages.ts';
import { metadataColumns, metadataSelect } from './metadata-columns.ts';
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
  where: 'preference IS NOT NULL',
  select: {
    prompt: trlMessagesSql('prompt'),
    chosen: trlMessagesSql('preference.chosen'),
    rejected: trlMessagesSql('preference.rejected'),
    margin: 'preference.margin',
    tools: TOOLS_JSON_SQL,
    ...metadataSelect,
  },
};
