import { string } from './column-types.ts';
import { messagesType, TOOLS_JSON_SQL, trlMessagesSql } from './messages.ts';
import { metadataColumns, metadataSelect } from './metadata-columns.ts';
import type { ParquetFormat } from './types.ts';

/**
 * TRL conversational prompt-completion (SFTTrainer trains on the completion only by default):
 * the same samples as `sft`, with the conversation split where the model started answering.
 */
export const promptCompletionFormat: ParquetFormat = {
  name: 'prompt_completion',
  fileType: 'parquet',
  description: 'Conversational prompt-completion (TRL SFTTrainer, loss on the completion): `prompt` and `completion` message lists.',
  columns: [['prompt', messagesType], ['completion', messagesType], ['tools', string], ...metadataColumns],
  where: 'sft',
  select: {
    prompt: trlMessagesSql('prompt'),
    completion: trlMessagesSql('completion'),
    tools: TOOLS_JSON_SQL,
    ...metadataSelect,
  },
};
