import { indexedGroups, parseJsonOr, stringAttr } from './attributes.ts';
import { isObject, normalizeRole, setDefined, toolCall, toolDefinitions, type CallContent, type JsonObject } from './messages.ts';
import type { AttributeValue, Attributes } from './model.ts';

/**
 * The older indexed GenAI attributes, still written by OpenLLMetry (Traceloop) and by
 * instrumentations that follow semconv ≤ 1.26:
 *   gen_ai.prompt.N.role / .content / .tool_call_id / .tool_calls.M.{id,name,arguments}
 *   gen_ai.completion.N.role / .content / .finish_reason / .tool_calls.M.{id,name,arguments}
 *   llm.request.functions.N.{name,description,parameters}
 */
export function readOpenLlmetryContent(attrs: Attributes): CallContent {
  const content: CallContent = {};
  const prompts = indexedGroups(attrs, 'gen_ai.prompt.');
  const completions = indexedGroups(attrs, 'gen_ai.completion.');
  const functions = indexedGroups(attrs, 'llm.request.functions.');
  if (prompts.length > 0) content.input = prompts.map((g) => message(g, 'user'));
  if (completions.length > 0) content.output = completions.map((g) => message(g, 'assistant'));
  const finishReason = completions.length > 0 ? stringAttr(completions[0]!, 'finish_reason') : undefined;
  if (finishReason !== undefined) content.finishReason = finishReason;
  if (functions.length > 0) {
    content.tools = toolDefinitions(functions.map((g) => ({
      name: g.get('name'), description: g.get('description') ?? undefined, parameters: g.get('parameters') ?? undefined,
    })));
  }
  return content;
}

function message(group: Map<string, AttributeValue>, defaultRole: string): JsonObject {
  const out: JsonObject = { role: normalizeRole(group.get('role') ?? defaultRole) };
  setDefined(out, 'content', content(group.get('content')));
  const toolCalls = indexedGroups(group, 'tool_calls.').map((c) => toolCall(c.get('id'), c.get('name'), c.get('arguments')));
  if (toolCalls.length > 0) out.tool_calls = toolCalls;
  setDefined(out, 'tool_call_id', stringAttr(group, 'tool_call_id'));
  return out;
}

/**
 * Content is a string; multimodal content arrives as the JSON-encoded list of parts, which is
 * decoded when it reads as one (every element an object with a `type`).
 */
function content(value: AttributeValue | undefined): unknown {
  if (typeof value !== 'string' || !value.startsWith('[')) return value ?? undefined;
  const parsed = parseJsonOr(value);
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((p) => isObject(p) && typeof p.type === 'string')) return value;
  return parsed.map((p: JsonObject) => (p.type === 'text' && typeof p.text !== 'string' && typeof p.content === 'string' ? { type: 'text', text: p.content } : p));
}
