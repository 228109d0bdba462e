import { structuredAttr } from './attributes.ts';
import {
  asText, contentOf, isObject, normalizeRole, setDefined, toolCall, toolDefinitions,
  type CallContent, type JsonObject,
} from './messages.ts';
import type { Attributes } from './model.ts';

/**
 * The current GenAI semantic conventions (v1.37+): `gen_ai.input.messages`,
 * `gen_ai.output.messages`, `gen_ai.system_instructions` and `gen_ai.tool.definitions`, each a
 * JSON string or a structured value, with messages made of typed parts:
 *   { role, parts: [{ type: 'text', content } | { type: 'tool_call', id, name, arguments }
 *                   | { type: 'tool_call_response', id, response } | blob / uri / file / reasoning / …] }
 */
export function readSemconvContent(attrs: Attributes): CallContent {
  const content: CallContent = {};
  const messages = attrs.has('gen_ai.input.messages') ? structuredAttr(attrs, 'gen_ai.input.messages') : undefined;
  const system = attrs.has('gen_ai.system_instructions') ? structuredAttr(attrs, 'gen_ai.system_instructions') : undefined;
  if (messages !== undefined || system !== undefined) content.input = inputMessages(messages, system);
  if (attrs.has('gen_ai.output.messages')) {
    const output = structuredAttr(attrs, 'gen_ai.output.messages');
    content.output = Array.isArray(output) ? output.map(outputMessage) : output;
    const finishReason = Array.isArray(output) ? output.find((m) => isObject(m) && typeof m.finish_reason === 'string') : undefined;
    if (isObject(finishReason)) content.finishReason = finishReason.finish_reason as string;
  }
  if (attrs.has('gen_ai.tool.definitions')) content.tools = toolDefinitions(structuredAttr(attrs, 'gen_ai.tool.definitions'));
  return content;
}

function inputMessages(messages: unknown, system: unknown): unknown {
  const out: unknown[] = [];
  if (system !== undefined) {
    // Instructions given apart from the chat history (Anthropic `system`, Gemini `system_instruction`).
    out.push({ role: 'system', content: typeof system === 'string' ? system : Array.isArray(system) ? contentOf(system.map(part)) : system });
  }
  if (messages === undefined) return out;
  if (!Array.isArray(messages)) return messages;
  for (const message of messages) out.push(...inputMessage(message));
  return out;
}

/**
 * One semconv message may become several chat messages: tool results travel as separate `tool`
 * messages in the chat shape, also when a provider puts them inside a user turn (Anthropic).
 */
function inputMessage(message: unknown): unknown[] {
  if (!isObject(message) || !Array.isArray(message.parts)) return [message];
  const role = normalizeRole(message.role);
  const content: unknown[] = [];
  const toolCalls: JsonObject[] = [];
  const toolResults: JsonObject[] = [];
  for (const p of message.parts) {
    if (isObject(p) && p.type === 'tool_call') toolCalls.push(toolCall(p.id, p.name, p.arguments));
    else if (isObject(p) && p.type === 'tool_call_response') {
      const result: JsonObject = { role: 'tool' };
      setDefined(result, 'tool_call_id', typeof p.id === 'string' && p.id !== '' ? p.id : undefined);
      result.content = asText(p.response !== undefined ? p.response : p.result);
      toolResults.push(result);
    } else content.push(part(p));
  }
  if (role === 'tool' && content.length === 0) return toolResults;
  if (toolResults.length > 0 && content.length === 0 && toolCalls.length === 0) return toolResults;
  return [...toolResults, chatMessage(role, message.name, content, toolCalls)];
}

function outputMessage(message: unknown): unknown {
  if (!isObject(message) || !Array.isArray(message.parts)) return message;
  const content: unknown[] = [];
  const toolCalls: JsonObject[] = [];
  for (const p of message.parts) {
    if (isObject(p) && p.type === 'tool_call') toolCalls.push(toolCall(p.id, p.name, p.arguments));
    else content.push(part(p)); // a built-in tool's result stays a typed part of the answer
  }
  return chatMessage(message.role === undefined ? 'assistant' : normalizeRole(message.role), message.name, content, toolCalls);
}

function chatMessage(role: unknown, name: unknown, content: unknown[], toolCalls: JsonObject[]): JsonObject {
  const message: JsonObject = { role };
  if (content.length > 0) message.content = contentOf(content);
  else if (toolCalls.length === 0) message.content = '';
  setDefined(message, 'name', typeof name === 'string' && name !== '' ? name : undefined);
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}

/** A semconv part as a chat content part: text and images get the OpenAI shape, other parts are kept. */
function part(p: unknown): unknown {
  if (!isObject(p)) return p;
  if (p.type === 'text') return { type: 'text', text: p.content };
  if (p.modality === 'image') {
    if ((p.type === 'uri' || p.type === 'file_data' || p.type === 'file') && typeof p.uri === 'string') {
      return { type: 'image_url', image_url: { url: p.uri } };
    }
    if (p.type === 'blob' && typeof p.content === 'string' && typeof p.mime_type === 'string') {
      return { type: 'image_url', image_url: { url: `data:${p.mime_type};base64,${p.content}` } };
    }
  }
  return p;
}
