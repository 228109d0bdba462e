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

// A chain is a maximal sequence of digit runs joined by one or two of ' ', '.', '(', ')', '-', the
// separators the digit patterns allow between two groups ('(415) 555-0132': ') ' is two). The
// pattern matches the kept chains only, whole: from a chain start (no digit and at most two joiners
// before it), four runs or more, or nine digits or more; or any chain right after '+' or a capital.
// Every alternative is greedy to the end of the chain, and a failed attempt reads at most one short
// chain, so the scan is linear. `test` rather than `exec`: chat text holds dozens of chains per
// kilobyte, and a match array for each is most of the garbage a text makes.
const keptChainPattern = /(?<!\d[ .()-]{0,2})(?:\d+(?:[ .()-]{1,2}\d+){3,}|\d(?:[ .()-]{0,2}\d){8,})|(?<=[+A-Z])\d+(?:[ .()-]{1,2}\d+)*/g;

/** The index of a text that keeps no chain (most chat messages): shared, never written to. */
const noDigitRuns: DigitRuns = Object.freeze({
  count: 0,
  starts: Object.freeze([]) as unknown as number[],
  ends: Object.freeze([]) as unknown as number[],
  chainLast: Object.freeze([]) as unknown as number[],
  digitsToChainEnd: Object.freeze([]) as unknown as number[],
});

export function indexDigitRuns(text: string): DigitRuns {
  keptChainPattern.lastIndex = 0;
  if (!keptChainPattern.test(text)) return noDigitRuns;
  const runs: DigitRuns = { count: 0, starts: [], ends: [], chainLast: [], digitsToChainEnd: [] };
  do {
    const end = keptChainPattern.lastIndex;
    addChain(runs, text, chainStartBefore(text, end), end);
  } while (keptChainPattern.test(text));
  return runs;
}

/** Where the chain ending at `end` starts: walks back over runs and joiner gaps of one or two. */
function chainStartBefore(text: string, end: number): number {
  let i = end;
  for (;;) {
    while (i > 0 && isDigit(text.charCodeAt(i - 1))) i--;
    if (isJoiner(text.charCodeAt(i - 1)) && isDigit(text.charCodeAt(i - 2))) i -= 1;
    else if (isJoiner(text.charCodeAt(i - 1)) && isJoiner(text.charCodeAt(i - 2)) && isDigit(text.charCodeAt(i - 3))) i -= 2;
    else return i;
  }
}

function addChain(runs: DigitRuns, text: string, chainStart: number, chainEnd: number): void {
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
  const last = runs.count - 1;
  let remaining = digits;
  for (let k = first; k <= last; k++) {
    runs.chainLast.push(last);
    runs.digitsToChainEnd.push(remaining);
    remaining -= (runs.ends[k] as number) - (runs.starts[k] as number);
  }
}

function isJoiner(code: number): boolean {
  return code === 32 || code === 46 || code === 40 || code === 41 || code === 45; // ' ' . ( ) -
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The length of run `k`. */
export function runLength(runs: DigitRuns, k: number): number {
  return (runs.ends[k] as number) - (runs.starts[k] as number);
}
