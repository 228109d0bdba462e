import { indexDigitRuns } from './digit-runs.ts';
import type { TextProfile } from './types.ts';

export function profileText(text: string): TextProfile {
  return {
    digitRuns: indexDigitRuns(text),
    hasAt: text.includes('@'),
    hasColon: text.includes(':'),
  };
}

export function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isUpperCaseCode(code: number): boolean {
  return code >= 65 && code <= 90;
}

export function isAsciiLetterCode(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export function isAsciiAlnumCode(code: number): boolean {
  return isDigitCode(code) || isAsciiLetterCode(code);
}

/** `[A-Za-z0-9_]`, the `\w` of JavaScript regular expressions. */
export function isWordCode(code: number): boolean {
  return isAsciiAlnumCode(code) || code === 95;
}

export function digitsOnly(value: string): string {
  return value.replace(/\D/g, '');
}

/**
 * Runs a global regex over `text` and hands each match to `onMatch`. Guards against the
 * zero-length-match infinite loop so that custom (user-written) patterns are safe to drive too.
 */
export function forEachMatch(pattern: RegExp, text: string, onMatch: (match: RegExpExecArray) => void): void {
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    if (match[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    onMatch(match);
  }
}

/**
 * Runs a sticky (`y`) regex at exactly `position`: the match that a global scan of the same
 * pattern would report there. Detectors that know where their matches can start (from the digit
 * runs, or from an anchor found once) call it at those positions only, resuming after each match as
 * a global scan does, so they report the same matches without scanning the whole text.
 */
export function matchAt(pattern: RegExp, text: string, position: number): RegExpExecArray | null {
  pattern.lastIndex = position;
  return pattern.exec(text);
}
