import type { SampleMessage, ToolCall } from '@sluice/core';
import { json, list, string, struct, type ColumnType } from './column-types.ts';

/**
 * Messages as TRL and `transformers` chat templates expect them: tool-call `arguments` stay
 * objects (a template indexes into them or applies `tojson`; a string would be double-encoded).
 * In Parquet they are a JSON-typed leaf, which pyarrow reads as `arrow.json` and `datasets`
 * decodes back to the object — see docs/decisions/0004-tool-call-arguments-in-parquet.md.
 */
export const toolCallType: ColumnType = struct([
  ['id', string],
  ['type', string],
  ['function', struct([['name', string], ['arguments', json]])],
]);

/** Every message has every key (Arrow structs have fixed fields); absent ones are null. */
export const messageType: ColumnType = struct([
  ['role', string],
  ['content', string],
  ['tool_calls', list(toolCallType)],
  ['tool_call_id', string],
  ['name', string],
]);

export const messagesType: ColumnType = list(messageType);

export interface TrlMessage {
  role: string;
  content: string | null;
  tool_calls: { id: string; type: string; function: { name: string; arguments: unknown } }[] | null;
  tool_call_id: string | null;
  name: string | null;
}

function trlToolCall(call: ToolCall) {
  return { id: call.id, type: call.type, function: { name: call.function.name, arguments: call.function.arguments ?? null } };
}

export function trlMessage(message: SampleMessage): TrlMessage {
  return {
    role: message.role,
    content: message.content,
    tool_calls: message.tool_calls && message.tool_calls.length > 0 ? message.tool_calls.map(trlToolCall) : null,
    tool_call_id: message.tool_call_id ?? null,
    name: message.name ?? null,
  };
}

export const trlMessages = (messages: readonly SampleMessage[]): TrlMessage[] => messages.map(trlMessage);

/** Tool definitions as one JSON string: TRL's SFT and DPO paths `json.loads` a string `tools`. */
export function toolsJson(tools: readonly unknown[] | null): string | null {
  return tools === null || tools.length === 0 ? null : JSON.stringify(tools);
}

/**
 * OpenAI fine-tuning messages: tool-call arguments are JSON strings (the API's wire format),
 * absent keys are omitted rather than null, and `weight` (0 or 1) marks which assistant turns
 * are trained on.
 */
export function openAiMessage(message: SampleMessage, weight?: 0 | 1): Record<string, unknown> {
  const out: Record<string, unknown> = { role: message.role };
  if (message.content !== null || !message.tool_calls?.length) out.content = message.content ?? '';
  if (message.tool_calls?.length) {
    out.tool_calls = message.tool_calls.map((call) => ({
      id: call.id,
      type: call.type,
      function: { name: call.function.name, arguments: argumentsString(call.function.arguments) },
    }));
  }
  if (message.tool_call_id !== undefined) out.tool_call_id = message.tool_call_id;
  if (message.name !== undefined) out.name = message.name;
  if (weight !== undefined && message.role === 'assistant') out.weight = weight;
  return out;
}

/** A raw string (arguments that were not JSON when captured) is passed through unchanged. */
function argumentsString(args: unknown): string {
  if (typeof args === 'string') return args;
  return JSON.stringify(args ?? {});
}

/** Text of the last assistant message that has any: the reference answer of a sample. */
export function lastAssistantText(messages: readonly SampleMessage[]): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role === 'assistant' && message.content) return message.content;
  }
  return null;
}
