import type { SampleMessage, ToolCall } from '@sluice/core';

interface RawMessage {
  role?: unknown;
  content?: unknown;
  name?: unknown;
  tool_calls?: unknown;
  tool_call_id?: unknown;
}

/**
 * Contract messages → sample messages. Content parts are flattened to their text (images and
 * other parts carry no text a text model trains on); tool-call arguments become objects when
 * they are JSON strings, because TRL wants objects and the OpenAI exporter re-serializes them.
 */
export function toSampleMessages(raw: unknown): SampleMessage[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((m: RawMessage) => {
    const message: SampleMessage = { role: m.role as SampleMessage['role'], content: contentText(m.content) };
    if (Array.isArray(m.tool_calls) && m.tool_calls.length > 0) message.tool_calls = m.tool_calls.map(toToolCall);
    if (typeof m.tool_call_id === 'string') message.tool_call_id = m.tool_call_id;
    if (typeof m.name === 'string') message.name = m.name;
    return message;
  });
}

function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const texts = content
    .filter((part): part is { type: 'text'; text: string } => typeof part === 'object' && part !== null && part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text);
  return texts.length > 0 ? texts.join('\n') : null;
}

function toToolCall(call: { id?: unknown; function?: { name?: unknown; arguments?: unknown } }): ToolCall {
  let args = call.function?.arguments;
  if (typeof args === 'string') {
    try {
      args = JSON.parse(args);
    } catch {
      // Not JSON: models sometimes emit broken arguments; keep the text as sent.
    }
  }
  return { id: String(call.id ?? ''), type: 'function', function: { name: String(call.function?.name ?? ''), arguments: args ?? {} } };
}

/** The text of a message list, for hashing and length checks. */
export function messagesText(messages: readonly SampleMessage[]): string {
  return messages.map((m) => `${m.role}: ${m.content ?? ''}${m.tool_calls ? ` ${JSON.stringify(m.tool_calls)}` : ''}`).join('\n');
}
