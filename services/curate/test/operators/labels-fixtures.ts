import assert from 'node:assert/strict';
import type { Sample, SampleLabels, SampleSignal } from '@sluice/core';
import { makeSample } from '@sluice/core/testing';
import { createLabelsStep, labelsSectionSchema, type LabelsSection } from '../../src/operators/labels/index.ts';

/** Shared factories for the labels tests: hand-written signals on a small, fixed sample. */

export const t0 = Date.UTC(2026, 10, 29, 12, 0, 0);

export function signal(type: SampleSignal['type'], kind: string, overrides: Partial<SampleSignal> = {}): SampleSignal {
  return { eventId: `evt_${type}_${kind}`, type, kind, scope: 'generation', occurredAt: t0 + 1000, ...overrides };
}

export const feedback = (kind: string, overrides: Partial<SampleSignal> = {}) => signal('feedback', kind, overrides);
export const outcome = (kind: string, overrides: Partial<SampleSignal> = {}) => signal('outcome', kind, overrides);

/** A sample whose incoming labels are deliberately wrong: the step must recompute them. */
export function sampleWith(signals: SampleSignal[], overrides: Partial<Sample> = {}): Sample {
  return makeSample({
    sampleId: 's_fixed',
    generationId: 'gen_fixed',
    lineage: ['evt_gen'],
    prompt: [{ role: 'user', content: 'Where is my order?' }],
    completion: [{ role: 'assistant', content: 'It ships tomorrow.' }],
    labels: { reward: 42, kto: false, sft: false, preference: null, rules: ['stale'] },
    signals,
    ...overrides,
  });
}

/** Parses a section as the ruleset loader would, so tests exercise the zod defaults too. */
export function section(input: unknown = undefined): LabelsSection {
  return labelsSectionSchema.parse(input);
}

export function labelsOf(sample: Sample, labelsSection: LabelsSection = section()): SampleLabels {
  const result = createLabelsStep(labelsSection).run(sample);
  assert.equal(result.kind, 'keep');
  return result.sample.labels;
}

export const unlabelled: SampleLabels = { reward: null, kto: null, sft: true, preference: null, rules: [] };
