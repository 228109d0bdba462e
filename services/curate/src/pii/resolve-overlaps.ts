import { builtinPiiTypes, type PiiType, type Span } from './types.ts';

/** Lower wins; builtinPiiTypes is listed in priority order (SECRET first, PHONE last). */
const builtinPriority: ReadonlyMap<PiiType, number> = new Map(builtinPiiTypes.map((type, index) => [type, index]));

function priorityOf(type: PiiType): number {
  return builtinPriority.get(type) ?? builtinPiiTypes.length; // custom detectors rank last
}

// Below this many spans a pairwise check beats allocating a coverage map of the whole text.
const pairwiseLimit = 32;

/**
 * Chooses non-overlapping spans deterministically: longest first, then by type priority, then
 * by detection order (so a vendor-specific SECRET subtype beats the generic one on a tie), and
 * returns them sorted by start.
 */
export function resolveOverlaps(spans: readonly Span[], textLength: number): Span[] {
  if (spans.length <= 1) return [...spans];
  const ranked = spans
    .map((span, order) => ({ span, order }))
    .sort((a, b) => (b.span.end - b.span.start) - (a.span.end - a.span.start) || priorityOf(a.span.type) - priorityOf(b.span.type) || a.order - b.order);
  const chosen: Span[] = [];
  if (spans.length <= pairwiseLimit) {
    for (const { span } of ranked) {
      if (chosen.every((other) => span.end <= other.start || span.start >= other.end)) chosen.push(span);
    }
  } else {
    const covered = new Uint8Array(textLength);
    for (const { span } of ranked) {
      if (covered.subarray(span.start, span.end).includes(1)) continue;
      covered.fill(1, span.start, span.end);
      chosen.push(span);
    }
  }
  return chosen.sort((a, b) => a.start - b.start);
}

/** Whether `span` overlaps one of `sorted` (ascending, non-overlapping); a binary search. */
export function overlapsSorted(sorted: readonly Span[], span: Span): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const other = sorted[middle] as Span;
    if (other.end <= span.start) low = middle + 1;
    else if (other.start >= span.end) high = middle - 1;
    else return true;
  }
  return false;
}
