import type { AttributeValue, Attributes } from './model.ts';

/**
 * Typed reads of span attributes. Each getter takes several keys because the same fact goes by
 * different names across conventions (current GenAI semconv, its older versions, OpenLLMetry,
 * OpenInference); the first key present with a usable value wins.
 */

/** A non-empty string. */
export function stringAttr(attrs: Attributes, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = attrs.get(key);
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

/** A finite number. */
export function numberAttr(attrs: Attributes, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = attrs.get(key);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

/** A non-negative safe integer (token counts, limits). */
export function countAttr(attrs: Attributes, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = attrs.get(key);
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  }
  return undefined;
}

/** A list of strings; a single string counts as a list of one. */
export function stringListAttr(attrs: Attributes, ...keys: string[]): string[] | undefined {
  for (const key of keys) {
    const value = attrs.get(key);
    if (typeof value === 'string' && value.length > 0) return [value];
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[];
  }
  return undefined;
}

/**
 * A structured value. Spans may carry one as an AnyValue array/map or, where the SDK only has
 * primitive attributes, as a JSON string; both come back as JSON. A string that does not parse
 * is returned as is, so the caller can pass it on and let validation report it.
 */
export function structuredAttr(attrs: Attributes, key: string): unknown {
  const value = attrs.get(key);
  return typeof value === 'string' ? parseJsonOr(value) : value;
}

/** JSON.parse, or the text itself when it is not JSON. */
export function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function hasAttrWithPrefix(attrs: Attributes, prefix: string): boolean {
  for (const key of attrs.keys()) if (key.startsWith(prefix)) return true;
  return false;
}

/**
 * Flattened lists, as OpenLLMetry and OpenInference write them: `gen_ai.prompt.0.role`,
 * `gen_ai.prompt.1.content`, … become one attribute map per index (`role`, `content`), in index
 * order. Gaps are skipped.
 */
export function indexedGroups(attrs: Attributes, prefix: string): Array<Map<string, AttributeValue>> {
  const groups = new Map<number, Map<string, AttributeValue>>();
  for (const [key, value] of attrs) {
    if (!key.startsWith(prefix)) continue;
    const match = /^(\d{1,6})\.(.+)$/.exec(key.slice(prefix.length));
    if (!match) continue;
    const index = Number(match[1]);
    let group = groups.get(index);
    if (!group) groups.set(index, (group = new Map()));
    group.set(match[2]!, value);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}
