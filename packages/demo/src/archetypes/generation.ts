import type { Random } from '../random.ts';

/** Rough token count (≈ 4 characters a token), for the `usage` field providers report. */
export function tokens(text: string): number {
  return Math.max(1, Math.round(text.length / 4));
}

export function messagesText(messages: ReadonlyArray<Record<string, unknown>>): string {
  return messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.tool_calls ?? ''))).join('\n');
}

/** The fields of a `generation` event other than its envelope. */
export function generationFields(random: Random, fields: {
  generationId: string;
  model: string;
  input: Array<Record<string, unknown>>;
  output: Array<Record<string, unknown>>;
  finishReason: string;
  tools?: readonly unknown[];
  temperature: number;
  maxTokens: number;
  latencyMs: number;
  properties?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    generation_id: fields.generationId,
    model: fields.model,
    provider: 'vllm',
    input: fields.input,
    output: fields.output,
    finish_reason: fields.finishReason,
    ...(fields.tools ? { tools: fields.tools } : {}),
    params: { temperature: fields.temperature, top_p: 0.95, max_tokens: fields.maxTokens, ...(random.chance(0.3) ? { seed: random.int(1, 99_999) } : {}) },
    usage: { input_tokens: tokens(messagesText(fields.input)), output_tokens: tokens(messagesText(fields.output)) },
    latency_ms: Math.round(fields.latencyMs * 10) / 10,
    ...(fields.properties ? { properties: fields.properties } : {}),
  };
}

/** Cut an answer mid-sentence, as a `finish_reason: length` answer is. */
export function truncate(text: string, random: Random): string {
  return text.slice(0, Math.max(12, Math.floor(text.length * random.int(35, 75) / 100)));
}
