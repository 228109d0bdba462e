import { parseJsonOr } from './attributes.ts';

/**
 * Building blocks shared by the convention readers, which all produce Sluice's message shape
 * (OpenAI chat: `{ role, content, tool_calls, tool_call_id }`). Values that cannot be converted are
 * passed on unchanged: the event validator then rejects the event with a pointer to them and the
 * event is quarantined, rather than the mapper guessing.
 */

export type JsonObject = Record<string, unknown>;

/** What one convention says about a call's content; each field is absent when it says nothing. */
export interface CallContent {
  input?: unknown;
  output?: unknown;
  tools?: unknown;
  finishReason?: string;
  params?: JsonObject;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const roleAliases: Readonly<Record<string, string>> = { developer: 'system', human: 'user', model: 'assistant', ai: 'assistant', function: 'tool' };

/** Lower-cases a role and maps the aliases some providers use (Gemini `model`, OpenAI `developer`). */
export function normalizeRole(role: unknown): unknown {
  if (typeof role !== 'string') return role;
  const lower = role.toLowerCase();
  return Object.hasOwn(roleAliases, lower) ? roleAliases[lower] : lower;
}

/** Tool-call arguments: the JSON string as given, an object as is, anything else JSON-encoded. */
export function toolArguments(value: unknown): unknown {
  if (typeof value === 'string' || isObject(value)) return value;
  return value === undefined || value === null ? '{}' : JSON.stringify(value);
}

/** Tool results and similar payloads become message text. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined ? '' : JSON.stringify(value);
}

export function toolCall(id: unknown, name: unknown, args: unknown): JsonObject {
  return { ...(id === undefined || id === null || id === '' ? {} : { id }), type: 'function', function: { name, arguments: toolArguments(args) } };
}

/** Message content from converted parts: one text part becomes a plain string. */
export function contentOf(parts: readonly unknown[]): unknown {
  if (parts.length === 1) {
    const only = parts[0];
    if (isObject(only) && only.type === 'text' && typeof only.text === 'string') return only.text;
  }
  return [...parts];
}

/**
 * Sets `key` on `target` only when `value` is defined, so absent facts stay absent in the event
 * (the contract rejects explicit nulls on most fields).
 */
export function setDefined(target: JsonObject, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

/**
 * Some providers (Gemini) return tool calls without ids, and their tool results carry none either.
 * The contract links a tool message to its call by id, so missing ids are made up (`call_1`, …)
 * and each tool result without an id answers the oldest call still unanswered, in order.
 */
export function fillToolCallIds(...lists: unknown[]): void {
  const pending: string[] = [];
  let counter = 0;
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const message of list) {
      if (!isObject(message)) continue;
      if (message.role === 'tool' && message.tool_call_id === undefined && pending.length > 0) message.tool_call_id = pending.shift();
      if (!Array.isArray(message.tool_calls)) continue;
      for (const call of message.tool_calls) {
        if (isObject(call) && call.id === undefined) {
          call.id = `call_${++counter}`;
          pending.push(call.id as string);
        }
      }
    }
  }
}

/** Tool definitions in either the semconv shape (`{type, name, description, parameters}`) or OpenAI's. */
export function toolDefinitions(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((tool) => {
    if (!isObject(tool)) return tool;
    const fn = isObject(tool.function) ? tool.function : tool;
    if (typeof fn.name !== 'string') return tool;
    const definition: JsonObject = { name: fn.name };
    setDefined(definition, 'description', typeof fn.description === 'string' ? fn.description : undefined);
    setDefined(definition, 'parameters', typeof fn.parameters === 'string' ? parseJsonOr(fn.parameters) : fn.parameters ?? undefined);
    setDefined(definition, 'strict', typeof fn.strict === 'boolean' ? fn.strict : undefined);
    return { type: 'function', function: definition };
  });
}

