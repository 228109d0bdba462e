import { HAS_TOOLS_SQL, jsonArraySql, openAiMessageListSql } from './messages.ts';
import type { JsonlFormat } from './types.ts';

/**
 * OpenAI chat fine-tuning JSONL: earlier assistant turns are context (weight 0), the sampled
 * completion is what is trained on (weight 1). Tool-call arguments are JSON strings here.
 */
export const openAiChatFormat: JsonlFormat = {
  name: 'openai_chat',
  fileType: 'jsonl',
  description: 'OpenAI chat fine-tuning JSONL: `messages` (assistant `weight`, tool-call arguments as JSON strings), `tools`.',
  where: 'sft',
  line: `'{"messages":' || ${jsonArraySql(openAiMessageListSql('prompt', 0), openAiMessageListSql('completion', 1))}
    || CASE WHEN ${HAS_TOOLS_SQL} THEN ',"tools":' || tools::VARCHAR ELSE '' END || '}'`,
};
