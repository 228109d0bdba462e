import type { DigitRuns } from './digit-runs.ts';

/** The detector families Sluice ships. Custom detectors add their own names. */
export const builtinPiiTypes = [
  'SECRET',
  'URL_CREDENTIALS',
  'CREDIT_CARD',
  'IBAN',
  'US_SSN',
  'EMAIL',
  'IP_ADDRESS',
  'PHONE',
] as const;

export type BuiltinPiiType = (typeof builtinPiiTypes)[number];

// `string & {}` keeps editor completion for the built-in names while accepting custom ones.
export type PiiType = BuiltinPiiType | (string & {});

/**
 * One finding in a text. `value` exists so that the redactor can pseudonymize and apply the
 * allow-list; it must stay in memory and never reach a log line, an error message or a metric.
 */
export interface Span {
  type: PiiType;
  start: number;
  end: number;
  value: string;
  /** Which rule inside a family matched (SECRET: `github_token`, `jwt`, …). */
  subtype?: string;
}

/**
 * Cheap facts about a text, computed once per text so that every detector can skip work it
 * cannot possibly need (most chat messages hold no digit runs, no '@', no '://'), and the shared
 * index of digit runs that the digit detectors read instead of scanning the text themselves.
 */
export interface TextProfile {
  digitRuns: DigitRuns;
  hasAt: boolean;
  hasColon: boolean;
}

export interface Detector {
  readonly type: PiiType;
  /** Appends the spans found in `text` to `out`; spans may overlap, the redactor resolves them. */
  detect(text: string, profile: TextProfile, out: Span[]): void;
}
