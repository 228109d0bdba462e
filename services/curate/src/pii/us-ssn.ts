import { digitsOnly, forEachMatch } from './text-profile.ts';
import type { Detector, Span, TextProfile } from './types.ts';

// AAA-GG-SSSS or AAA GG SSSS, one separator used twice (123-45 6789 is not an SSN).
const separatedPattern = /(?<![\w.-])\d{3}([ -])\d{2}\1\d{4}(?![\w]|[.-]\d)/g;
// Nine bare digits are also ZIP+4, phone and order numbers; they count only near a keyword.
const barePattern = /(?<![\w.-])\d{9}(?![\w]|[.-]\d)/g;
const keywordPattern = /\b(?:ssn|ssns|social[ -]security|soc\.? ?sec\.?|ss#)/i;
const keywordWindow = 40;

/** Published as examples (Woolworth wallet card, SSA ads, test data) and never valid. */
const knownFakeNumbers: ReadonlySet<string> = new Set(['078051120', '219099999', '123456789']);

export function createUsSsnDetector(): Detector {
  return {
    type: 'US_SSN',
    detect(text: string, profile: TextProfile, out: Span[]): void {
      if (profile.digits < 9) return;
      forEachMatch(separatedPattern, text, (match) => {
        if (isPlausibleSsn(digitsOnly(match[0]))) out.push(ssnSpan(match));
      });
      if (!keywordPattern.test(text)) return;
      forEachMatch(barePattern, text, (match) => {
        if (isPlausibleSsn(match[0]) && hasKeywordNear(text, match.index, match.index + 9)) out.push(ssnSpan(match));
      });
    },
  };
}

function ssnSpan(match: RegExpExecArray): Span {
  return { type: 'US_SSN', start: match.index, end: match.index + match[0].length, value: match[0] };
}

function hasKeywordNear(text: string, start: number, end: number): boolean {
  return keywordPattern.test(text.slice(Math.max(0, start - keywordWindow), Math.min(text.length, end + keywordWindow)));
}

/** SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000. */
export function isPlausibleSsn(digits: string): boolean {
  if (digits.length !== 9 || knownFakeNumbers.has(digits)) return false;
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
}
