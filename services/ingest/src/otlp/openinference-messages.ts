import { indexedGroups, parseJsonOr, stringAttr, structuredAttr } from './attributes.ts';
import { isObject, normalizeRole, setDefined, toolCall, toolDefinitions, type CallContent, type JsonObject } from './messages.ts';
import type { AttributeValue, Attributes } from './model.ts';

/**
 * OpenInference (Arize Phoenix) LLM spans:
 *   llm.input_messages.N.message.{role,content,name,tool_call_id}
 *   llm.input_messages.N.message.contents.K.message_content.{type,text,image.image.url}
 *   llm.input_messages.N.message.tool_calls.M.tool_call.{id,function.name,function.arguments}
 *   llm.output_messages.N.message.* (same), llm.tools.N.tool.json_schema (an OpenAI tool, JSON),
 *   llm.invocation_parameters (JSON).
 */
export function readOpenInferenceContent(attrs: Attributes): CallContent {
  const content: CallContent = {};
  const input = indexedGroups(attrs, 'llm.input_messages.');
  const output = indexedGroups(attrs, 'llm.output_messages.');
  const tools = indexedGroups(attrs, 'llm.tools.');
  if (input.length > 0) content.input = input.map((g) => message(g, 'user'));
  if (output.length > 0) content.output = output.map((g) => message(g, 'assistant'));
  if (tools.length > 0) content.tools = toolDefinitions(tools.map((g) => structuredAttr(g, 'tool.json_schema')));
  const finishReason = stringAttr(attrs, 'llm.finish_reason');
  if (finishReason !== undefined) content.finishReason = finishReason;
  const params = invocationParams(attrs.get('llm.invocation_parameters'));
  if (params) content.params = params;
  return content;
}

function message(group: Map<string, AttributeValue>, defaultRole: string): JsonObject {
  const out: JsonObject = { role: normalizeRole(group.get('message.role') ?? defaultRole) };
  const parts = indexedGroups(group, 'message.contents.').map(contentPart);
  setDefined(out, 'content', group.get('message.content') ?? (parts.length > 0 ? parts : undefined));
  setDefined(out, 'name', stringAttr(group, 'message.name'));
  const toolCalls = indexedGroups(group, 'message.tool_calls.').map((c) =>
    toolCall(c.get('tool_call.id'), c.get('tool_call.function.name'), c.get('tool_call.function.arguments')));
  if (toolCalls.length > 0) out.tool_calls = toolCalls;
  setDefined(out, 'tool_call_id', stringAttr(group, 'message.tool_call_id'));
  return out;
}

function contentPart(group: Map<string, AttributeValue>): JsonObject {
  const type = group.get('message_content.type');
  if (type === 'image') return { type: 'image_url', image_url: { url: group.get('message_content.image.image.url') } };
  if (type === 'text') return { type: 'text', text: group.get('message_content.text') };
  return Object.fromEntries([...group].map(([k, v]) => [k.replace(/^message_content\./, ''), v]));
}

const numericParams = ['temperature', 'top_p', 'frequency_penalty', 'presence_penalty', 'top_k'] as const;
const integerParams = ['max_tokens', 'max_completion_tokens', 'seed', 'n'] as const;

/** The common sampling parameters out of `llm.invocation_parameters`; the rest (model, tools, …) is not a parameter here. */
function invocationParams(value: AttributeValue | undefined): JsonObject | undefined {
  const parsed = typeof value === 'string' ? parseJsonOr(value) : value;
  if (!isObject(parsed)) return undefined;
  const params: JsonObject = {};
  for (const key of numericParams) if (typeof parsed[key] === 'number') params[key] = parsed[key];
  for (const key of integerParams) if (Number.isSafeInteger(parsed[key])) params[key] = parsed[key];
  if (typeof parsed.stop === 'string' || (Array.isArray(parsed.stop) && parsed.stop.every((s) => typeof s === 'string'))) params.stop = parsed.stop;
  return Object.keys(params).length > 0 ? params : undefined;
}
