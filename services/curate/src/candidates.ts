import type { Sample, StoredEvent } from '@sluice/core';
import { createSampleAssembler } from './assemble/assemble-samples.ts';
import type { SignalIndex } from './assemble/signal-index.ts';
import type { Funnel } from './funnel.ts';
import { createConsentStep } from './operators/consent.ts';
import { createFiltersStep } from './operators/filters.ts';
import { createLabelsStep } from './operators/labels/index.ts';
import { createPiiStep } from './operators/pii.ts';
import { createSplitStep } from './operators/split.ts';
import type { SampleStep } from './operators/step.ts';
import type { Ruleset } from './ruleset/schema.ts';
import { wildcardMatcher } from './ruleset/select-section.ts';

export interface Candidate {
  /** The sample as assembled, before any operator (dry-run examples show it). */
  before: Sample;
  /** After consent, pii, filters, labels and split: what dedup sees and what is written. */
  after: Sample;
}

export interface CandidatePipeline {
  /** One generation event through select → assemble → per-sample steps; null when dropped or not selected. */
  candidate(event: StoredEvent): Candidate | null;
  /** Records `selected` and `after_<step>` in the funnel (call once, after the scan). */
  reportStages(): void;
}

/**
 * The per-generation part of a curation run. Split runs here too: it is per sample, and dedup
 * looks at neither the split nor the user key, so splitting before dedup gives what splitting
 * after it did. Drops are counted in the funnel as they happen.
 */
export function createCandidatePipeline(ruleset: Ruleset, index: SignalIndex, deps: { pseudonymKey: string }, funnel: Funnel): CandidatePipeline {
  const steps: SampleStep[] = [
    createConsentStep(ruleset.consent, { consent: index.consentState() }),
    createPiiStep(ruleset.pii, { pseudonymKey: deps.pseudonymKey }),
    createFiltersStep(ruleset.filters),
    createLabelsStep(ruleset.labels),
  ];
  const split = createSplitStep(ruleset.split, { pseudonymKey: deps.pseudonymKey });
  const assemble = createSampleAssembler(index, { signalWindowMs: ruleset.select.signal_window });
  const since = ruleset.select.since === undefined ? -Infinity : Date.parse(ruleset.select.since);
  const until = ruleset.select.until === undefined ? Infinity : Date.parse(ruleset.select.until);
  const included = ruleset.select.models?.include ? wildcardMatcher(ruleset.select.models.include) : () => true;
  const excluded = ruleset.select.models?.exclude ? wildcardMatcher(ruleset.select.models.exclude) : () => false;
  const passed = steps.map(() => 0);
  let selected = 0;

  return {
    candidate(event) {
      const model = String((event.payload as { model?: unknown }).model);
      if (event.timestamp < since || event.timestamp > until || !included(model) || excluded(model)) return null;
      selected++;
      const before = assemble(event);
      let sample = before;
      for (let i = 0; i < steps.length; i++) {
        const outcome = steps[i]!.run(sample);
        if (outcome.kind === 'drop') {
          funnel.drop(steps[i]!.name, outcome.reason);
          return null;
        }
        sample = outcome.sample;
        passed[i]!++;
      }
      const outcome = split.run(sample);
      return { before, after: outcome.kind === 'keep' ? outcome.sample : sample };
    },
    reportStages() {
      funnel.stage('selected', selected);
      steps.forEach((step, i) => funnel.stage(`after_${step.name}`, passed[i]!));
    },
  };
}
