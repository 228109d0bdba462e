import { overlapsSorted } from './resolve-overlaps.ts';
import { runLength, type DigitRuns } from './digit-runs.ts';
import { isWordCode, matchAt } from './text-profile.ts';
import type { Detector, Span, TextProfile } from './types.ts';

/*
 * Phone numbers are the noisiest family: digits with separators are everywhere (dates, versions,
 * IPs, order numbers, hashes). We therefore accept only three shapes and reject everything else:
 *
 *  1. International: a leading '+' and a country code, then digit groups separated by single
 *     spaces, dashes or dots, optionally with a parenthesised group: +44 20 7946 0958,
 *     +1-415-555-0132, +49 (0)30 123456, +14155550132.
 *  2. North American national: (415) 555-0132, 415-555-0132, 415.555.0132, 415 555 0132,
 *     1-415-555-0132, with NANP rules (area code and exchange start with 2-9).
 *  3. Trunk-prefixed national (UK, EU, …): a leading 0 then 1-4 more groups of 2+ digits with one
 *     consistent separator, 9-12 digits in all: 020 7946 0958, 030 123456, 06 12 34 56 78. Date,
 *     zero-padded IPv4 and SSN (3-2-4) shapes are excluded.
 *
 * Decision: a bare digit run without separators and without a leading '+' is never a phone
 * (order #123456789012, 20261129, epoch timestamps). That misses phones written as 4155550132;
 * we accept that to keep IDs out of the redaction.
 *
 * Every pattern refuses to start inside a longer token: not after a letter, digit or '_'
 * (abc4155550132def), not after 'x.', 'x-' or 'x/' where x is alphanumeric (v10.4.12, IDs such as
 * ORD-415-555-0132, IP octets), not after 'digit:' (12:30:45).
 */
const tokenStart = String.raw`(?<![\w+@]|\d[:./-]|[A-Za-z][./-])`;
// No more digits, letters or '@' right after, and no '.5', '-7', '/1', ':3' continuation.
const tokenEnd = String.raw`(?![\w@]|[./:-]\d)`;

// Each repetition consumes exactly one digit, so the loop is unambiguous and linear. Boundaries
// at the end are checked in code, not with a lookahead, so a failed match never backtracks.
// Not after ')' or ']' either: '(x<<16)+16777216' is arithmetic.
// All three patterns are sticky: they run only where their shape can start (see detect).
const internationalPattern = /(?<![\w+)\]])\+[1-9](?:[ .-]?\(\d{1,4}\)|[ .-]?\d)*/y;
const northAmericanPattern = new RegExp(
  `${tokenStart}(?:1[ .\\-])?(?:\\([2-9]\\d{2}\\) ?|[2-9]\\d{2}[ .\\-])[2-9]\\d{2}[ .\\-]\\d{4}${tokenEnd}`,
  'y',
);
// Not inside a longer run of the same shape either: '<Buffer 01 02 03 04 05 06 07 08>' is a byte
// dump, not a French number, so no digit-space before and no separator-digit after.
const trunkPattern = new RegExp(`${tokenStart}(?<!\\d )0[1-9]\\d{0,4}([ .\\-])\\d{2,8}(?:\\1\\d{2,8}){0,3}(?!\\1\\d)${tokenEnd}`, 'y');

const minDigits = 7; // E.164 allows up to 15 digits; below 7 nothing is dialable.
const maxDigits = 15;
const nanpDigits = 10; // area code, exchange, line; 11 with the leading '1'
const minTrunkDigits = 9;
const maxTrunkDigits = 12;

export function createPhoneDetector(): Detector {
  return {
    type: 'PHONE',
    detect(text: string, profile: TextProfile, out: Span[]): void {
      const runs = profile.digitRuns;
      if (runs.count === 0) return;
      // International matches win: '+1 (415) 555-0132' must not also yield '(415) 555-0132'.
      const international: Span[] = [];
      forEachInternationalCandidate(text, runs, (match) => {
        const number = internationalNumber(match[0]);
        const end = match.index + (number?.length ?? 0);
        if (number !== undefined && endsToken(text, end)) international.push(phoneSpan(text, match.index, end));
      });
      for (const span of international) out.push(span);
      const national: Span[] = [];
      forEachNorthAmericanCandidate(text, runs, (match) => {
        national.push(phoneSpan(text, match.index, match.index + match[0].length));
      });
      forEachTrunkCandidate(text, runs, (match) => {
        const digits = countDigits(match[0]);
        if (
          digits >= minTrunkDigits &&
          digits <= maxTrunkDigits &&
          !looksLikeDate(match[0]) &&
          !looksLikeIPv4(match[0]) &&
          !looksLikeSsn(match[0]) &&
          !looksLikeZipPlus4(match[0]) &&
          !followsPartNumberLabel(text, match.index)
        ) {
          national.push(phoneSpan(text, match.index, match.index + match[0].length));
        }
      });
      for (const span of national) {
        if (!overlapsSorted(international, span)) out.push(span);
      }
    },
  };
}

/*
 * Where each shape can start, from the digit runs. Each function reports, in text order, the
 * matches a global scan of its pattern would report: it tries its pattern only at those starts and
 * resumes after each match.
 */

/** '+' right before a run: the run is the country code's first digit. */
function forEachInternationalCandidate(text: string, runs: DigitRuns, onMatch: (match: RegExpExecArray) => void): void {
  let resumeAt = 0;
  for (let k = 0; k < runs.count; k++) {
    const plus = (runs.starts[k] as number) - 1;
    if (plus < resumeAt || text.charCodeAt(plus) !== 43) continue; // '+'
    const match = matchAt(internationalPattern, text, plus);
    if (match === null) continue;
    resumeAt = plus + match[0].length;
    onMatch(match);
  }
}

/**
 * A run '1' (the optional country code) or a run of three digits (area code), with a '(' right
 * before it or not; the 10 or 11 digits lie in one chain (joined by one of ' .-', or by ')' and
 * an optional space).
 */
function forEachNorthAmericanCandidate(text: string, runs: DigitRuns, onMatch: (match: RegExpExecArray) => void): void {
  let resumeAt = 0;
  for (let k = 0; k < runs.count; k++) {
    const length = runLength(runs, k);
    if ((runs.digitsToChainEnd[k] as number) < nanpDigits) continue;
    const start = runs.starts[k] as number;
    const isCountryCode = length === 1 && text.charCodeAt(start) === 49; // '1'
    if (!isCountryCode && length !== 3) continue;
    const starts = length === 3 && text.charCodeAt(start - 1) === 40 ? [start - 1, start] : [start]; // '('
    for (const at of starts) {
      if (at < resumeAt) continue;
      const match = matchAt(northAmericanPattern, text, at);
      if (match === null) continue;
      resumeAt = at + match[0].length;
      onMatch(match);
    }
  }
}

/**
 * A run of two to six digits starting '0' and a non-zero digit, then a separator. Matches with
 * fewer than nine digits are rejected, and a match lies in one chain, so only runs with nine or
 * more digits to the end of their chain can start an accepted one; skipping the others changes no
 * accepted match (a match they would report ends inside their chain, before any such run).
 */
function forEachTrunkCandidate(text: string, runs: DigitRuns, onMatch: (match: RegExpExecArray) => void): void {
  let resumeAt = 0;
  for (let k = 0; k < runs.count; k++) {
    const start = runs.starts[k] as number;
    const length = runLength(runs, k);
    if (start < resumeAt || length < 2 || length > 6 || (runs.digitsToChainEnd[k] as number) < minTrunkDigits) continue;
    if (text.charCodeAt(start) !== 48 || text.charCodeAt(start + 1) === 48) continue; // '0', then 1-9
    const match = matchAt(trunkPattern, text, start);
    if (match === null) continue;
    resumeAt = start + match[0].length;
    onMatch(match);
  }
}

function phoneSpan(text: string, start: number, end: number): Span {
  return { type: 'PHONE', start, end, value: text.slice(start, end) };
}

/**
 * The phone number at the start of an international candidate, or undefined. The greedy pattern
 * may swallow a following space-separated number ('+44 20 7946 0958 12 items'); when that pushes
 * the count past 15 digits, trailing space-separated groups are dropped until it fits.
 */
function internationalNumber(candidate: string): string | undefined {
  let number = candidate;
  // '(0)' is the national trunk prefix shown for convenience; E.164 does not count it.
  let digits = countDigits(number.replace('(0)', ''));
  while (digits > maxDigits) {
    const cut = number.lastIndexOf(' ');
    if (cut <= 0) return undefined;
    number = number.slice(0, cut);
    digits = countDigits(number.replace('(0)', ''));
  }
  const lastCode = number.charCodeAt(number.length - 1);
  if (lastCode < 48 || lastCode > 57) return undefined; // '+1 (415)' alone is not a number
  return digits >= minDigits ? number : undefined;
}

function endsToken(text: string, end: number): boolean {
  if (end >= text.length) return true;
  const next = text.charCodeAt(end);
  if (isWordCode(next) || next === 64) return false;
  const isJoiner = next === 46 || next === 45 || next === 47 || next === 58; // . - / :
  if (!isJoiner) return true;
  const after = text.charCodeAt(end + 1);
  return !(after >= 48 && after <= 57);
}

function countDigits(value: string): number {
  let digits = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
  }
  return digits;
}

/** 01.02.2026, 2026-01-02 written with a trunk-like leading 0: day/month/year shapes. */
function looksLikeDate(candidate: string): boolean {
  return /^\d{2}[ .-]\d{2}[ .-](?:19|20)\d{2}$/.test(candidate) || /^\d{4}[ .-]\d{2}[ .-]\d{2}$/.test(candidate);
}

/** 010.001.002.003, 0300.0250.01.01: zero-padded or octal IPv4, which the trunk shape would accept. */
function looksLikeIPv4(candidate: string): boolean {
  return /^\d{1,4}\.\d{1,4}\.\d{1,4}\.\d{1,4}$/.test(candidate);
}

/** 078-05-1120: the SSN shape, left to US_SSN (which also rejects the famous fake ones). */
function looksLikeSsn(candidate: string): boolean {
  return /^\d{3}[ -]\d{2}[ -]\d{4}$/.test(candidate);
}

/** 02139-4307: a ZIP+4 code in New England or New Jersey, which the trunk shape would accept. */
function looksLikeZipPlus4(candidate: string): boolean {
  return /^\d{5}-\d{4}$/.test(candidate);
}

// 'SKU 0860-9860-41', 'P/N 0412-7731-05', 'part no. 0860 9860 41', 'item #0455-1200-88', 'model: 0800-…'
const partNumberLabelBefore = /(?:^|[^A-Za-z])(?:sku|p\/n|pn|part(?:[ -]?(?:no|nr|number))?|item|model|art(?:icle)?(?:[ -]?(?:no|nr))?|mpn|ref)\.?[ \t]*[#:=]?[ \t]*$/i;

/** Digit groups labelled as a part, item or model number are catalogue numbers, not phones. */
function followsPartNumberLabel(text: string, start: number): boolean {
  return partNumberLabelBefore.test(text.slice(Math.max(0, start - 16), start));
}
