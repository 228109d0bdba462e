import { digitsOnly, matchAt } from './text-profile.ts';
import type { Detector, Span, TextProfile } from './types.ts';

/*
 * 13-19 digits, bare or grouped with one kind of separator (space or dash) in the groupings card
 * issuers print: 4-4-4-4(-3), 4-6-5 (Amex), 4-6-4 (Diners). A candidate must carry a known IIN
 * prefix with a length that brand issues, and pass the Luhn check. About one random 16-digit
 * number in ten with a Visa prefix passes Luhn, so bare order numbers can still match: that is
 * the accepted cost of catching cards pasted without spaces.
 */
// One digit per repetition: unambiguous, so a failing end-of-token lookahead backtracks at most
// six steps. The lookbehind keeps matches from starting inside a longer token (v1.4111…, ID-4111…).
// Sticky: it runs only where a card can start (see detect).
const candidatePattern = /(?<![\w.+]|\w[/-])(?:\d[ -]?){12,18}\d(?![\w]|[.-]\d)/y;
const minCardDigits = 13;

export function createCreditCardDetector(): Detector {
  return {
    type: 'CREDIT_CARD',
    detect(text: string, profile: TextProfile, out: Span[]): void {
      const runs = profile.digitRuns;
      if (runs.count === 0) return;
      // A candidate starts a digit run (nothing of a word before it) and its 13-19 digits, joined
      // by single spaces or dashes, lie in that run's chain: only runs with 13 digits or more to
      // the end of their chain can start one. Resuming after each match, as a global scan does.
      let resumeAt = 0;
      for (let k = 0; k < runs.count; k++) {
        const start = runs.starts[k] as number;
        if ((runs.digitsToChainEnd[k] as number) < minCardDigits || start < resumeAt) continue;
        const match = matchAt(candidatePattern, text, start);
        if (match === null) continue;
        resumeAt = start + match[0].length;
        const length = longestValidCardPrefix(match[0]);
        if (length > 0) {
          out.push({ type: 'CREDIT_CARD', start, end: start + length, value: match[0].slice(0, length) });
        }
      }
    },
  };
}

/**
 * A grouped card followed by another number ('4111 1111 1111 1111 123') is one greedy candidate;
 * try it whole, then without its trailing groups.
 */
function longestValidCardPrefix(candidate: string): number {
  // Every grouping starts with four digits, and trimming trailing groups keeps the first one, so
  // '112-1234567-1234567' (an order number) needs no further look.
  const firstSeparator = candidate.search(/[ -]/);
  if (firstSeparator !== -1 && firstSeparator !== 4) return 0;
  let length = candidate.length;
  while (length > 0) {
    const prefix = candidate.slice(0, length);
    if (isGroupedLikeACard(prefix)) {
      const digits = digitsOnly(prefix);
      if (hasKnownIssuerPrefix(digits) && passesLuhn(digits)) return length;
    }
    length = Math.max(prefix.lastIndexOf(' '), prefix.lastIndexOf('-'));
  }
  return 0;
}

function isGroupedLikeACard(candidate: string): boolean {
  const hasSpace = candidate.includes(' ');
  const hasDash = candidate.includes('-');
  if (!hasSpace && !hasDash) return candidate.length >= 13 && candidate.length <= 19;
  if (hasSpace && hasDash) return false;
  const lengths = candidate.split(hasSpace ? ' ' : '-').map((group) => group.length);
  const shape = lengths.join('-');
  if (shape === '4-6-5' || shape === '4-6-4') return true; // Amex, Diners
  const last = lengths[lengths.length - 1] ?? 0;
  return lengths.length >= 4 && lengths.slice(0, -1).every((length) => length === 4) && last >= 1 && last <= 4;
}

export function hasKnownIssuerPrefix(digits: string): boolean {
  const length = digits.length;
  const two = Number(digits.slice(0, 2));
  const three = Number(digits.slice(0, 3));
  const four = Number(digits.slice(0, 4));
  const six = Number(digits.slice(0, 6));
  const longBrandLength = length >= 16 && length <= 19;
  // Visa: 16 or 19 digits. 13-digit Visa numbers are no longer issued, and Luhn-valid 13-digit
  // runs starting with 4 are EAN-13 barcodes (EAN prefixes 400-440 are Germany's).
  if (digits.startsWith('4')) return length === 16 || length === 19;
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return length === 16; // Mastercard
  if (two === 34 || two === 37) return length === 15; // American Express
  if (four === 6011 || (three >= 644 && three <= 649) || two === 65 || (six >= 622126 && six <= 622925)) {
    return longBrandLength; // Discover (incl. China UnionPay co-branded range)
  }
  if (two === 62) return longBrandLength; // UnionPay
  if (four >= 3528 && four <= 3589) return longBrandLength; // JCB
  if ((three >= 300 && three <= 305) || four === 3095 || two === 36 || two === 38 || two === 39) {
    return length >= 14 && length <= 19; // Diners Club
  }
  return false;
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let digit = digits.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}
