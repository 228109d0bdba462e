import type { SampleMessage } from '@sluice/core';

export interface Segment {
  text: string;
  /** The PII type this segment replaced (`EMAIL`, `ORDER_ID`…), when it is a redaction token. */
  pii?: string;
}

export interface ShownMessage {
  role: string;
  text: string;
}

/** A message as one text: its content, then one line per tool call (`→ name(arguments)`). */
export function messageText(message: SampleMessage): ShownMessage {
  const calls = (message.tool_calls ?? []).map((c) => `→ ${c.function.name}(${typeof c.function.arguments === 'string' ? c.function.arguments : JSON.stringify(c.function.arguments)})`);
  const text = [message.content ?? '', ...calls].filter((t) => t !== '').join('\n');
  return { role: message.name ? `${message.role} (${message.name})` : message.role, text };
}

// `<EMAIL>` (mask) or `<EMAIL_1a2b3c4d>` (pseudonymize), as the redactor writes them.
const TOKEN = /<([A-Z][A-Z0-9_]*?)(?:_[0-9a-f]{8})?>/g;

/**
 * Splits redacted text into plain runs and redaction tokens. Only types the redactor reported for
 * this sample count, so a literal `<TODO>` in a prompt is never mistaken for a redaction.
 */
export function redactionSegments(text: string, types: ReadonlySet<string>): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const type = match[1]!;
    if (!types.has(type)) continue;
    if (match.index > last) segments.push({ text: text.slice(last, match.index) });
    segments.push({ text: match[0], pii: type });
    last = match.index + match[0].length;
  }
  if (last < text.length || segments.length === 0) segments.push({ text: text.slice(last) });
  return segments;
}
