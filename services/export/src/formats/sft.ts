import { string } from './column-types.ts';
import { messagesType, toolsJson, trlMessages } from './messages.ts';
import { metadataColumns, metadataValues } from './metadata-columns.ts';
import type { ParquetFormat } from './types.ts';

/** TRL conversational language modeling (SFTTrainer): the whole conversation in `messages`. */
export const sftFormat: ParquetFormat = {
  name: 'sft',
  fileType: 'parquet',
  description: 'Conversational SFT (TRL SFTTrainer): `messages` with tool calls, `tools` as a JSON string.',
  columns: [['messages', messagesType], ['tools', string], ...metadataColumns],
  includes: (sample) => sample.labels.sft,
  toRow: (sample) => ({
    messages: trlMessages([...sample.prompt, ...sample.completion]),
    tools: toolsJson(sample.tools),
    ...metadataValues(sample),
  }),
};
