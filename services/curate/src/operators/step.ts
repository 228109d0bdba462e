import type { Sample } from '@sluice/core';

/**
 * Every curation operator is a step built by a factory from its ruleset section
 * (`createConsentStep(section, deps)`), returning a named function. Outcomes are values: a step
 * keeps the sample (possibly changed — steps never mutate their input) or drops it with a reason
 * that the funnel counts. Steps throw only when a dependency fails.
 */
export type StepOutcome =
  | { kind: 'keep'; sample: Sample }
  | { kind: 'drop'; reason: string };

export interface SampleStep {
  /** Funnel stage name, e.g. 'consent', 'filters'. */
  readonly name: string;
  run(sample: Sample): StepOutcome;
}

export const keep = (sample: Sample): StepOutcome => ({ kind: 'keep', sample });
export const drop = (reason: string): StepOutcome => ({ kind: 'drop', reason });
