import type { PiiFindings, RedactTextResult, RedactValueResult } from './redactor.ts';

// Deeper than any real event payload; beyond it a subtree is redacted as serialized text so
// that a hostile, deeply nested payload cannot overflow the stack.
const maxDepth = 64;

interface Walk {
  findings: PiiFindings;
  drop: boolean;
}

/**
 * Walks a JSON value and redacts every string in it, object keys included (a map keyed by email
 * address is common). Strings holding a JSON object or array, as tool-call arguments do, are
 * parsed, walked, and re-serialized only if something in them was redacted, so clean arguments
 * keep their exact original bytes.
 */
export function createValueWalker(redactText: (text: string) => RedactTextResult): (value: unknown) => RedactValueResult {
  function text(value: string, walk: Walk): string {
    const result = redactText(value);
    for (const [type, count] of Object.entries(result.findings)) walk.findings[type] = (walk.findings[type] ?? 0) + count;
    if (result.drop) walk.drop = true;
    return result.text;
  }

  function string(value: string, walk: Walk, depth: number): string {
    const embedded = parseEmbeddedJson(value);
    if (embedded === undefined) return text(value, walk);
    const inner: Walk = { findings: {}, drop: false };
    const redacted = node(embedded, inner, depth + 1);
    for (const [type, count] of Object.entries(inner.findings)) walk.findings[type] = (walk.findings[type] ?? 0) + count;
    if (inner.drop) walk.drop = true;
    return Object.keys(inner.findings).length === 0 ? value : JSON.stringify(redacted);
  }

  function node(value: unknown, walk: Walk, depth: number): unknown {
    if (typeof value === 'string') return string(value, walk, depth);
    if (typeof value === 'number' || typeof value === 'bigint') return number(value, walk);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= maxDepth) return tooDeep(value, walk);
    if (Array.isArray(value)) return value.map((item: unknown) => node(item, walk, depth + 1));
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      let redactedKey = text(key, walk);
      // Two keys masked to the same token ('<EMAIL>') must not overwrite each other's values.
      for (let n = 2; Object.hasOwn(result, redactedKey); n++) redactedKey = `${text(key, { findings: {}, drop: false })}#${n}`;
      result[redactedKey] = node(item, walk, depth + 1);
    }
    return result;
  }

  /** A card or phone stored as a JSON number; a redacted number becomes its token string. */
  function number(value: number | bigint, walk: Walk): unknown {
    if (typeof value === 'number' && (!Number.isSafeInteger(value) || Math.abs(value) < 1_000_000)) return value;
    const digits = String(value);
    const redacted = text(digits, walk);
    return redacted === digits ? value : redacted;
  }

  function tooDeep(value: object, walk: Walk): unknown {
    try {
      return text(JSON.stringify(value), walk);
    } catch {
      walk.drop = true; // cannot be inspected, so it cannot be vouched for
      return '<UNREDACTABLE>';
    }
  }

  return (value) => {
    const walk: Walk = { findings: {}, drop: false };
    const redacted = node(value, walk, 0);
    return { value: redacted, findings: walk.findings, drop: walk.drop };
  };
}

function parseEmbeddedJson(value: string): object | undefined {
  const trimmed = value.trim();
  const first = trimmed[0];
  const last = trimmed[trimmed.length - 1];
  if (!((first === '{' && last === '}') || (first === '[' && last === ']'))) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}
