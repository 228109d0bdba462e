import { openAiMessage } from './messages.ts';
import type { JsonlFormat } from './types.ts';

/**
 * OpenAI chat fine-tuning JSONL: earlier assistant turns are context (weight 0), the sampled
 * completion is what is trained on (weight 1). Tool-call arguments are JSON strings here.
 */
export const openAiChatFormat: JsonlFormat = {
  name: 'openai_chat',
  fileType: 'jsonl',
  description: 'OpenAI chat fine-tuning JSONL: `messages` (assistant `weight`, tool-call arguments as JSON strings), `tools`.',
  includes: (sample) => sample.labels.sft,
  toRow: (sample) => {
    const row: Record<string, unknown> = {
      messages: [...sample.prompt.map((m) => openAiMessage(m, 0)), ...sample.completion.map((m) => openAiMessage(m, 1))],
    };
    if (sample.tools && sample.tools.length > 0) row.tools = sample.tools;
    return row;
  },
};
