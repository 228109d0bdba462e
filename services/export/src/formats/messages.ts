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

/*
 * The rest of this file is SQL over the samples table (see ../export/load-samples.ts), where
 * message lists are already parsed into `messagesType`: each config's columns are projections of
 * it, so no row passes through JavaScript.
 */

/** TRL messages: as parsed, except that an empty `tool_calls` list is null (no calls). */
export function trlMessagesSql(messages: string): string {
  return `list_transform(${messages}, m -> {'role': m.role, 'content': m.content, 'tool_calls': CASE WHEN len(m.tool_calls) > 0 THEN m.tool_calls END, 'tool_call_id': m.tool_call_id, 'name': m.name})`;
}

/** Tool definitions as one JSON string, null when there are none: TRL's SFT and DPO paths `json.loads` a string `tools`. */
export const TOOLS_JSON_SQL = `CASE WHEN json_array_length(tools) > 0 THEN tools::VARCHAR END`;

/** Whether the sample offers the model any tools. */
export const HAS_TOOLS_SQL = `coalesce(json_array_length(tools), 0) > 0`;

/** Text of the last assistant message that has any: the reference answer of a sample. */
export function lastAssistantTextSql(messages: string): string {
  return `list_filter(${messages}, m -> m.role = 'assistant' AND m.content <> '')[-1].content`;
}

/**
 * OpenAI fine-tuning messages, each as JSON text: tool-call arguments are JSON strings (the API's wire
 * format; raw text that was not JSON passes through as it was), absent keys are omitted rather
 * than null, and `weight` (0 or 1) marks which assistant turns are trained on. Written as text
 * because a SQL struct cannot leave out a key.
 */
export function openAiMessageListSql(messages: string, weight?: 0 | 1): string {
  const argumentsText = `CASE WHEN json_type(c.function.arguments) = 'VARCHAR' THEN c.function.arguments->>'$'
    ELSE coalesce(c.function.arguments::VARCHAR, '{}') END`;
  const toolCalls = `to_json(list_transform(m.tool_calls, c -> {'id': c.id, 'type': c.type, 'function': {'name': c.function.name, 'arguments': ${argumentsText}}}))`;
  const message = `'{"role":' || to_json(m.role)
    || CASE WHEN m.content IS NOT NULL OR coalesce(len(m.tool_calls), 0) = 0 THEN ',"content":' || to_json(coalesce(m.content, '')) ELSE '' END
    || CASE WHEN len(m.tool_calls) > 0 THEN ',"tool_calls":' || ${toolCalls} ELSE '' END
    || CASE WHEN m.tool_call_id IS NOT NULL THEN ',"tool_call_id":' || to_json(m.tool_call_id) ELSE '' END
    || CASE WHEN m.name IS NOT NULL THEN ',"name":' || to_json(m.name) ELSE '' END
    ${weight === undefined ? '' : `|| CASE WHEN m.role = 'assistant' THEN ',"weight":${weight}' ELSE '' END`}
    || '}'`;
  return `list_transform(${messages}, m -> ${message})`;
}

/** A JSON array from lists of message texts made by openAiMessageListSql. */
export function jsonArraySql(...lists: string[]): string {
  return `'[' || array_to_string(${lists.length === 1 ? lists[0] : `list_concat(${lists.join(', ')})`}, ',') || ']'`;
}
