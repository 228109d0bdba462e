import { runLength } from './digit-runs.ts';
import { digitsOnly, matchAt } from './text-profile.ts';
import type { Detector, Span, TextProfile } from './types.ts';

// AAA-GG-SSSS or AAA GG SSSS, one separator used twice (123-45 6789 is not an SSN). Both patterns
// are sticky: they run only at digit runs of the right length (see detect).
const separatedPattern = /(?<![\w.-])\d{3}([ -])\d{2}\1\d{4}(?![\w]|[.-]\d)/y;
// Nine bare digits are also ZIP+4, phone and order numbers; they count only near a keyword.
const barePattern = /(?<![\w.-])\d{9}(?![\w]|[.-]\d)/y;
// ssn, social security, soc. sec., ss#. Not after a letter, but after '_' ('tax_id_ssn', 'OWNER_SSN':
// '\b' would need a boundary there, and '_' is a word character).
const keywordPattern = /(?<![A-Za-z])s(?:sn|ocial[ _-]?security|oc\.? ?sec|s#)/i;
const keywordWindow = 40;
const keywordScan = new RegExp(keywordPattern.source, 'gi');
const fieldBoundary = /[\d,;|]/;
// 'ssn=…', 'SSN: …', '"ssn": …', 'ssn_last4 = …' (the keyword, a name tail, a quote, an operator)
const namesNextField = /^[\w.-]{0,40}["']?[ \t]*[:=]/;

/** Published as examples (Woolworth wallet card, SSA ads, test data) and never valid. */
const knownFakeNumbers: ReadonlySet<string> = new Set(['078051120', '219099999', '123456789']);

export function createUsSsnDetector(): Detector {
  return {
    type: 'US_SSN',
    detect(text: string, profile: TextProfile, out: Span[]): void {
      const runs = profile.digitRuns;
      if (runs.count === 0) return;
      // Both shapes start a digit run of three (separated) or nine (bare) digits, the nine digits
      // in one chain; no match can start inside another, so no resuming is needed.
      for (let k = 0; k < runs.count; k++) {
        if (runLength(runs, k) !== 3 || (runs.digitsToChainEnd[k] as number) < 9) continue;
        const match = matchAt(separatedPattern, text, runs.starts[k] as number);
        if (match !== null && isPlausibleSsn(digitsOnly(match[0]))) out.push(ssnSpan(match));
      }
      let hasKeyword: boolean | undefined; // searched for once, and only when a bare candidate needs it
      for (let k = 0; k < runs.count; k++) {
        if (runLength(runs, k) !== 9) continue;
        const match = matchAt(barePattern, text, runs.starts[k] as number);
        if (match === null || !isPlausibleSsn(match[0])) continue;
        hasKeyword ??= keywordPattern.test(text);
        if (!hasKeyword) return;
        if (hasKeywordNear(text, match.index, match.index + 9)) out.push(ssnSpan(match));
      }
    },
  };
}

function ssnSpan(match: RegExpExecArray): Span {
  return { type: 'US_SSN', start: match.index, end: match.index + match[0].length, value: match[0] };
}

/**
 * A keyword within 40 characters that labels this number: before it ('SSN: 536221234',
 * '"tax_id_ssn": "536221234"', 'social security number is 536221234') or after it
 * ('536221234 (SSN)'), with no digit, ',', ';' or '|' in between, so that the
 * neighbouring field of a record ('"order_id": "381464560", "tax_id_ssn": …') does not count. A
 * keyword after the number must not name the next field ('order=381464560 ssn=…').
 */
function hasKeywordNear(text: string, start: number, end: number): boolean {
  const windowEnd = Math.min(text.length, end + keywordWindow);
  keywordScan.lastIndex = Math.max(0, start - keywordWindow);
  let match: RegExpExecArray | null;
  while ((match = keywordScan.exec(text)) !== null) {
    const keywordStart = match.index;
    const keywordEnd = keywordStart + match[0].length;
    if (keywordEnd > windowEnd) break;
    if (keywordEnd <= start) {
      if (!fieldBoundary.test(text.slice(keywordEnd, start))) return true;
    } else if (keywordStart >= end) {
      if (!fieldBoundary.test(text.slice(end, keywordStart)) && !namesNextField.test(text.slice(keywordEnd, keywordEnd + 48))) return true;
    }
  }
  return false;
}

/** SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000. */
export function isPlausibleSsn(digits: string): boolean {
  if (digits.length !== 9 || knownFakeNumbers.has(digits)) return false;
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
}
