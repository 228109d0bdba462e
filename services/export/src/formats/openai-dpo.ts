import { HAS_TOOLS_SQL, jsonArraySql, openAiMessageListSql } from './messages.ts';
import type { JsonlFormat } from './types.ts';

/** OpenAI preference (DPO) fine-tuning JSONL: `input`, `preferred_output`, `non_preferred_output`. */
export const openAiDpoFormat: JsonlFormat = {
  name: 'openai_dpo',
  fileType: 'jsonl',
  description: 'OpenAI DPO fine-tuning JSONL: `input` {messages, tools}, `preferred_output`, `non_preferred_output`.',
  where: 'preference IS NOT NULL',
  line: `'{"input":{"messages":' || ${jsonArraySql(openAiMessageListSql('prompt'))}
    || CASE WHEN ${HAS_TOOLS_SQL} THEN ',"tools":' || tools::VARCHAR ELSE '' END
    || '},"preferred_output":' || ${jsonArraySql(openAiMessageListSql('preference.chosen'))}
    || ',"non_preferred_output":' || ${jsonArraySql(openAiMessageListSql('preference.rejected'))} || '}'`,
};
