import { openAiMessage } from './messages.ts';
import type { JsonlFormat } from './types.ts';

/** OpenAI preference (DPO) fine-tuning JSONL: `input`, `preferred_output`, `non_preferred_output`. */
export const openAiDpoFormat: JsonlFormat = {
  name: 'openai_dpo',
  fileType: 'jsonl',
  description: 'OpenAI DPO fine-tuning JSONL: `input` {messages, tools}, `preferred_output`, `non_preferred_output`.',
  includes: (sample) => sample.labels.preference !== null,
  toRow: (sample) => {
    const pair = sample.labels.preference!;
    const input: Record<string, unknown> = { messages: sample.prompt.map((m) => openAiMessage(m)) };
    if (sample.tools && sample.tools.length > 0) input.tools = sample.tools;
    return {
      input,
      preferred_output: pair.chosen.map((m) => openAiMessage(m)),
      non_preferred_output: pair.rejected.map((m) => openAiMessage(m)),
    };
  },
};
