import type { NearDedupOptions } from './dedup-options.ts';
import { createDeduplicator, type DedupItem } from './near-dedup.ts';

/** A malformed input line; `lineNumber` is 1-based and counts blank lines. */
export class DedupInputError extends Error {
  readonly lineNumber: number;

  constructor(lineNumber: number, reason: string, options?: { cause: unknown }) {
    super(`line ${lineNumber}: ${reason}`, options);
    this.name = 'DedupInputError';
    this.lineNumber = lineNumber;
  }
}

type LineId = string | number;

/**
 * The core of `sluice dedup`. Input: one JSON object per element, `{"id", "text"}` plus an
 * optional numeric `"rank"` (higher = better label); elements are lines without their newline,
 * as `readline` yields them; blank lines are skipped. Output: one `{"id","duplicate_of"}` JSON
 * string per input record, in input order, without a newline; `duplicate_of` is the id of the
 * record kept for its cluster, null for kept records. Ties on rank go to the earlier line.
 *
 * Every line is read before the first is written: a record's cluster is only known at the end.
 * Ids may be strings or numbers and are echoed as given (use strings beyond 2⁵³).
 * Throws `DedupInputError` naming the line for invalid JSON or a record of the wrong shape, and
 * RangeError for invalid options, before reading any input.
 */
export async function* dedupLines(lines: AsyncIterable<string>, options: NearDedupOptions = {}): AsyncGenerator<string, void, undefined> {
  const deduplicate = createDeduplicator(options);
  const items: DedupItem[] = [];
  const ids: LineId[] = [];
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const record = parseRecord(line, lineNumber);
    const item: DedupItem = { id: String(record.id), text: record.text, order: items.length };
    items.push(record.rank === undefined ? item : { ...item, rank: record.rank });
    ids.push(record.id);
  }
  const { representativeIndex } = deduplicate(items);
  for (let i = 0; i < items.length; i++) {
    const representative = representativeIndex[i]!;
    yield JSON.stringify({ id: ids[i], duplicate_of: representative === i ? null : ids[representative] });
  }
}

interface InputRecord {
  id: LineId;
  text: string;
  rank?: number;
}

function parseRecord(line: string, lineNumber: number): InputRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new DedupInputError(lineNumber, `not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DedupInputError(lineNumber, 'expected a JSON object {"id", "text"}');
  const { id, text, rank } = value as Record<string, unknown>;
  if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) throw new DedupInputError(lineNumber, '"id" must be a string or a number');
  if (typeof text !== 'string') throw new DedupInputError(lineNumber, '"text" must be a string');
  if (rank === undefined || rank === null) return { id, text };
  if (typeof rank !== 'number' || !Number.isFinite(rank)) throw new DedupInputError(lineNumber, '"rank" must be a finite number');
  return { id, text, rank };
}
