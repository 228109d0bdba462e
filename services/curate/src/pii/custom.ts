import { compileCustomPattern, type CustomDetectorConfig } from './policy.ts';
import { forEachMatch } from './text-profile.ts';
import type { Detector, Span, TextProfile } from './types.ts';

/**
 * A detector from configuration, e.g. { name: 'EMPLOYEE_ID', pattern: 'EMP-\\d{6}' }. The
 * pattern is compiled once; a zero-length match is skipped rather than looping forever. Linear
 * running time is the author's responsibility: JavaScript regexes backtrack.
 */
export function createCustomDetector(config: CustomDetectorConfig): Detector {
  const pattern = compileCustomPattern(config);
  return {
    type: config.name,
    detect(text: string, _profile: TextProfile, out: Span[]): void {
      forEachMatch(pattern, text, (match) => {
        out.push({ type: config.name, start: match.index, end: match.index + match[0].length, value: match[0] });
      });
    },
  };
}
