import { createRedactor, defaultPiiPolicy, type PiiPolicy, type Redactor } from '../../src/index.ts';
import { profileText } from '../../src/pii/text-profile.ts';
import type { Detector, Span } from '../../src/pii/types.ts';

export const testPseudonymKey = 'test-pseudonym-key-0123456789abcdef';

/** The spans a detector finds in a text, in detection order. */
export function spansOf(detector: Detector, text: string): Span[] {
  const out: Span[] = [];
  detector.detect(text, profileText(text), out);
  return out;
}

/** The values a detector finds in a text. */
export function valuesOf(detector: Detector, text: string): string[] {
  return spansOf(detector, text).map((span) => span.value);
}

export function redactorWith(overrides: Partial<PiiPolicy> = {}, pseudonymKey: string | Buffer = testPseudonymKey): Redactor {
  return createRedactor({ ...defaultPiiPolicy(), ...overrides }, { pseudonymKey });
}

/**
 * A deterministic token-shaped string. Test credentials are assembled at run time rather than
 * written out, so secret scanners (push protection) never see a literal that looks live.
 */
export function fakeToken(prefix: string, length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', seed = 7): string {
  let state = seed;
  let body = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    body += alphabet[(state >>> 16) % alphabet.length]; // the low bits of this generator cycle fast
  }
  return prefix + body;
}
