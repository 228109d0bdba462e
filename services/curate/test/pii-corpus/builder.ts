import type { BuiltinPiiType } from '../../src/index.ts';

/** A value planted on purpose: the redactor must find it (ground truth for recall). */
export interface PlantedSpan {
  type: BuiltinPiiType;
  /** Which shape of the type was planted (`nanp_parens`, `visa_grouped`, `github_token`, …). */
  subtype: string;
  start: number;
  end: number;
}

/** A value that looks like PII but is not: the redactor must leave it alone. */
export interface NegativeSpan {
  kind: string;
  start: number;
  end: number;
}

/** A drawn PII value: `value` goes into the text, `[start, end)` of it is the sensitive part. */
export interface PlantValue {
  type: BuiltinPiiType;
  subtype: string;
  value: string;
  /** Defaults to the whole value; a connection string plants only its `user:pass`. */
  start?: number;
  end?: number;
}

/** Appends text pieces and records where planted values and hard negatives land. */
export interface TextBuilder {
  text(piece: string): TextBuilder;
  pii(planted: PlantValue): TextBuilder;
  negative(kind: string, value: string): TextBuilder;
  readonly length: number;
  build(): { text: string; planted: PlantedSpan[]; negatives: NegativeSpan[] };
}

export function createTextBuilder(): TextBuilder {
  let text = '';
  const planted: PlantedSpan[] = [];
  const negatives: NegativeSpan[] = [];
  const builder: TextBuilder = {
    text(piece) {
      text += piece;
      return builder;
    },
    pii({ type, subtype, value, start = 0, end = value.length }) {
      planted.push({ type, subtype, start: text.length + start, end: text.length + end });
      text += value;
      return builder;
    },
    negative(kind, value) {
      negatives.push({ kind, start: text.length, end: text.length + value.length });
      text += value;
      return builder;
    },
    get length() {
      return text.length;
    },
    build: () => ({ text, planted, negatives }),
  };
  return builder;
}

/** What a `{name}` slot in a template stands for: a hard negative of that kind, or plain text. */
export type SlotValue = { negative: string } | { text: string };

/**
 * Fills a template into a builder: `{pii}` takes the planted value, any other `{name}` asks
 * `slot(name)` for a hard negative (recorded under kind `name`) or for plain text.
 */
export function fill(builder: TextBuilder, template: string, slot: (name: string) => SlotValue, pii?: PlantValue): TextBuilder {
  let copied = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    builder.text(template.slice(copied, match.index));
    copied = match.index + match[0].length;
    const name = match[1] ?? '';
    if (name === 'pii') {
      if (pii === undefined) throw new Error(`template needs a PII value: ${template}`);
      builder.pii(pii);
      continue;
    }
    const value = slot(name);
    if ('negative' in value) builder.negative(name, value.negative);
    else builder.text(value.text);
  }
  return builder.text(template.slice(copied));
}
