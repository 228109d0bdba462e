import { string } from './column-types.ts';
import { messagesType, TOOLS_JSON_SQL, trlMessagesSql } from './messages.ts';
import { metadataColumns, metadataSelect } from './metadata-columns.ts';
import type { ParquetFormat } from './types.ts';

/** TRL conversational language modeling (SFTTrainer): the whole conversation in `messages`. */
export const sftFormat: ParquetFormat = {
  name: 'sft',
  fileType: 'parquet',
  description: 'Conversational SFT (TRL SFTTrainer): `messages` with tool calls, `tools` as a JSON string.',
  columns: [['messages', messagesType], ['tools', string], ...metadataColumns],
  where: 'sft',
  select: {
    messages: trlMessagesSql('list_concat(prompt, completion)'),
    tools: TOOLS_JSON_SQL,
    ...metadataSelect,
  },
};
