/**
 * The shared index of digit runs, computed once per text. PHONE, CREDIT_CARD, US_SSN, IBAN and
 * IP_ADDRESS (v4) all start at a run of digits, and the digits of each of their matches lie in one
 * chain of runs joined by one or two of ` .()-` ('(415) 555-0132', '4111 1111 1111 1111',
 * '8.8.8.8'). Instead of each detector scanning the whole text with its own regex (about 1 ns a
 * character each, and chat text is full of digits), one scan lists the chains, and each detector
 * runs its precise regex only at the runs where its shape can start.
 *
 * Only chains some detector can use are kept: nine digits or more (SSN, card, phone), four runs or
 * more (a dotted quad), or right after '+' (an international phone) or a capital letter (an IBAN's
 * country code). Dates, times, prices and counts are dropped on the spot, so detectors walk a
 * handful of runs per text.
 *
 *   'call (415) 555-0132 on 2026-01-02'  kept runs: 415 | 555 | 0132   (2026-01-02: 8 digits)
 */
export interface DigitRuns {
  /** Number of runs kept; the arrays below have this length. */
  count: number;
  /** Where each kept run of ASCII digits starts, in text order. */
  starts: number[];
  /** Where each run ends (exclusive). */
  ends: number[];
  /** The index of the last run of each run's chain (itself when the run stands alone). */
  chainLast: number[];
  /** How many digits there are from the start of each run to the end of its chain. */
  digitsToChainEnd: number[];
}

// A chain: digit runs joined by one or two of ' ', '.', '(', ')', '-', the separators the digit
// patterns allow between two groups ('(415) 555-0132': ') ' is two). One match per chain, and no
// backtracking beyond the two joiner characters, so the scan is linear.
const chainPattern = /\d+(?:[ .()-]{1,2}\d+)*/g;

/** Fewer characters than this hold neither nine digits nor four runs. */
const minKeptChainLength = 7;
const minKeptDigits = 9;
const minKeptRuns = 4;

export function indexDigitRuns(text: string): DigitRuns {
  const runs: DigitRuns = { count: 0, starts: [], ends: [], chainLast: [], digitsToChainEnd: [] };
  chainPattern.lastIndex = 0;
  let chain: RegExpExecArray | null;
  while ((chain = chainPattern.exec(text)) !== null) {
    const start = chain.index;
    const end = start + chain[0].length;
    const before = text.charCodeAt(start - 1);
    const prefixed = before === 43 || (before >= 65 && before <= 90); // '+', A-Z
    if (end - start >= minKeptChainLength || prefixed) addChain(runs, text, start, end, prefixed);
  }
  return runs;
}

function addChain(runs: DigitRuns, text: string, chainStart: number, chainEnd: number, prefixed: boolean): void {
  const first = runs.count;
  let digits = 0;
  let i = chainStart;
  while (i < chainEnd) {
    const start = i;
    while (i < chainEnd && isDigit(text.charCodeAt(i))) i++;
    runs.starts.push(start);
    runs.ends.push(i);
    runs.count++;
    digits += i - start;
    while (i < chainEnd && !isDigit(text.charCodeAt(i))) i++; // the joiner
  }
  if (!prefixed && digits < minKeptDigits && runs.count - first < minKeptRuns) {
    runs.count = first; // no detector can use this chain
    runs.starts.length = first;
    runs.ends.length = first;
    return;
  }
  const last = runs.count - 1;
  let remaining = digits;
  for (let k = first; k <= last; k++) {
    runs.chainLast.push(last);
    runs.digitsToChainEnd.push(remaining);
    remaining -= (runs.ends[k] as number) - (runs.starts[k] as number);
  }
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The length of run `k`. */
export function runLength(runs: DigitRuns, k: number): number {
  return (runs.ends[k] as number) - (runs.starts[k] as number);
}
