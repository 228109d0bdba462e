import { runLength } from './digit-runs.ts';
import { isUpperCaseCode, matchAt } from './text-profile.ts';
import type { Detector, Span, TextProfile } from './types.ts';

/** IBAN lengths from the SWIFT IBAN registry; countries missing here must be 15-34 long. */
const ibanLengthByCountry: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21,
  CR: 22, CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27,
  GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26,
  IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24,
  ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29,
  RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24,
  TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/*
 * Country code, two check digits, then the BBAN either compact or in the printed groups of four
 * (last group shorter). Upper case only: lower-case IBANs are rare in text and letting them in
 * would make every 'de12abcd…' identifier a candidate. Bounded repetitions keep a failing
 * candidate's backtracking to a few dozen steps. Sticky: it runs only where an IBAN can start (see
 * detect).
 */
const candidatePattern = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])/y;

export function createIbanDetector(): Detector {
  return {
    type: 'IBAN',
    detect(text: string, profile: TextProfile, out: Span[]): void {
      const runs = profile.digitRuns;
      if (runs.count === 0) return;
      // The check digits start a run of two or more digits right after the two capitals of the
      // country code. Resuming after each match, as a global scan does.
      let resumeAt = 0;
      for (let k = 0; k < runs.count; k++) {
        const start = (runs.starts[k] as number) - 2;
        if (start < resumeAt || runLength(runs, k) < 2) continue;
        if (!isUpperCaseCode(text.charCodeAt(start)) || !isUpperCaseCode(text.charCodeAt(start + 1))) continue;
        const match = matchAt(candidatePattern, text, start);
        if (match === null) continue;
        resumeAt = start + match[0].length;
        if (isValidIban(match[0])) out.push({ type: 'IBAN', start, end: resumeAt, value: match[0] });
      }
    },
  };
}

export function isValidIban(candidate: string): boolean {
  const iban = candidate.replaceAll(' ', '');
  const expectedLength = ibanLengthByCountry[iban.slice(0, 2)];
  if (expectedLength === undefined ? iban.length < 15 || iban.length > 34 : iban.length !== expectedLength) return false;
  return ibanMod97(iban) === 1;
}

/** ISO 13616: move the first four characters to the end, letters to 10-35, value mod 97. */
function ibanMod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      remainder = (remainder * 10 + (code - 48)) % 97;
    } else {
      remainder = (remainder * 100 + (code - 55)) % 97;
    }
  }
  return remainder;
}
