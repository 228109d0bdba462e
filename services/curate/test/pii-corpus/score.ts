import { builtinPiiTypes, type BuiltinPiiType, type PiiType } from '../../src/index.ts';
import type { CorpusText } from './corpus.ts';

/** What the scorer needs from a redactor: where it found what, as offsets into text `index`. */
export type DetectSpans = (text: string, index: number) => ReadonlyArray<{ type: PiiType; start: number; end: number }>;

export interface TypeScore {
  type: BuiltinPiiType;
  /** Planted values of this type. */
  planted: number;
  /** Planted values overlapped by a detection of the same type (true positives for recall). */
  found: number;
  /** Planted values overlapped by a detection of any type: redacted, if under another name. */
  redactedAnyType: number;
  /** Detections of this type. */
  detections: number;
  /** Detections overlapping a planted value of the same type. */
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

export interface SubtypeRecall {
  type: BuiltinPiiType;
  subtype: string;
  planted: number;
  found: number;
}

/** Where false positives landed: a hard-negative kind, another type's planted value, or template text. */
export interface FalsePositiveCause {
  type: PiiType;
  cause: string;
  count: number;
}

export interface MissOrFalsePositive {
  textId: string;
  type: PiiType;
  label: string;
  /** The text around the span, the span itself in ⟦ ⟧. */
  excerpt: string;
}

export interface CorpusScore {
  texts: number;
  bytes: number;
  byType: TypeScore[];
  bySubtype: SubtypeRecall[];
  falsePositiveCauses: FalsePositiveCause[];
  /** Findings per type on texts that plant nothing. */
  negativeOnlyFindings: Partial<Record<PiiType, number>>;
  negativeOnlyTexts: number;
  misses: MissOrFalsePositive[];
  falsePositives: MissOrFalsePositive[];
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean => a.start < b.end && b.start < a.end;

function excerpt(text: string, start: number, end: number): string {
  const before = text.slice(Math.max(0, start - 40), start);
  const after = text.slice(end, end + 40);
  return `${before}⟦${text.slice(start, end)}⟧${after}`.replaceAll('\n', '⏎');
}

function increment<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Span matching: a detection is a true positive when it overlaps a planted span of its type; a
 * planted span is found when a detection of its type overlaps it. Overlap rather than equality,
 * because where a span ends is a matter of convention (a phone's '+', a PEM block's last newline).
 */
export function scoreCorpus(texts: readonly CorpusText[], detect: DetectSpans): CorpusScore {
  const planted = new Map<BuiltinPiiType, number>();
  const found = new Map<BuiltinPiiType, number>();
  const redactedAnyType = new Map<BuiltinPiiType, number>();
  const detections = new Map<PiiType, number>();
  const truePositives = new Map<PiiType, number>();
  const subtypePlanted = new Map<string, number>();
  const subtypeFound = new Map<string, number>();
  const causes = new Map<string, number>();
  const negativeOnlyFindings: Partial<Record<PiiType, number>> = {};
  const misses: MissOrFalsePositive[] = [];
  const falsePositives: MissOrFalsePositive[] = [];
  let bytes = 0;

  for (const [index, item] of texts.entries()) {
    bytes += Buffer.byteLength(item.text);
    const spans = detect(item.text, index);
    for (const truth of item.planted) {
      const key = `${truth.type}\u0000${truth.subtype}`;
      increment(planted, truth.type);
      increment(subtypePlanted, key);
      const hits = spans.filter((span) => overlaps(span, truth));
      if (hits.length > 0) increment(redactedAnyType, truth.type);
      if (hits.some((span) => span.type === truth.type)) {
        increment(found, truth.type);
        increment(subtypeFound, key);
      } else {
        const redactedAs = hits.length > 0 ? ` (redacted as ${hits.map((span) => span.type).join(', ')})` : '';
        misses.push({ textId: item.id, type: truth.type, label: `${truth.subtype}${redactedAs}`, excerpt: excerpt(item.text, truth.start, truth.end) });
      }
    }
    for (const span of spans) {
      increment(detections, span.type);
      if (item.negativeOnly) negativeOnlyFindings[span.type] = (negativeOnlyFindings[span.type] ?? 0) + 1;
      if (item.planted.some((truth) => truth.type === span.type && overlaps(span, truth))) {
        increment(truePositives, span.type);
        continue;
      }
      const negative = item.negatives.find((candidate) => overlaps(span, candidate));
      const otherType = item.planted.find((truth) => overlaps(span, truth));
      const cause = negative?.kind ?? (otherType === undefined ? 'template text' : `planted ${otherType.type}`);
      increment(causes, `${span.type}\u0000${cause}`);
      falsePositives.push({ textId: item.id, type: span.type, label: cause, excerpt: excerpt(item.text, span.start, span.end) });
    }
  }

  const byType = builtinPiiTypes.map((type): TypeScore => {
    const plantedCount = planted.get(type) ?? 0;
    const foundCount = found.get(type) ?? 0;
    const detectionCount = detections.get(type) ?? 0;
    const tp = truePositives.get(type) ?? 0;
    return {
      type,
      planted: plantedCount,
      found: foundCount,
      redactedAnyType: redactedAnyType.get(type) ?? 0,
      detections: detectionCount,
      truePositives: tp,
      falsePositives: detectionCount - tp,
      falseNegatives: plantedCount - foundCount,
      precision: detectionCount === 0 ? 1 : tp / detectionCount,
      recall: plantedCount === 0 ? 1 : foundCount / plantedCount,
    };
  });
  const bySubtype = [...subtypePlanted].map(([key, count]): SubtypeRecall => {
    const [type, subtype] = key.split('\u0000') as [BuiltinPiiType, string];
    return { type, subtype, planted: count, found: subtypeFound.get(key) ?? 0 };
  });
  bySubtype.sort((a, b) => a.type.localeCompare(b.type) || a.subtype.localeCompare(b.subtype));
  const falsePositiveCauses = [...causes].map(([key, count]): FalsePositiveCause => {
    const [type, cause] = key.split('\u0000') as [PiiType, string];
    return { type, cause, count };
  });
  falsePositiveCauses.sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  return {
    texts: texts.length,
    bytes,
    byType,
    bySubtype,
    falsePositiveCauses,
    negativeOnlyFindings,
    negativeOnlyTexts: texts.filter((item) => item.negativeOnly).length,
    misses,
    falsePositives,
  };
}
