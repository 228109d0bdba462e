import type { Sample } from '@sluice/core';
import { drop, keep, type SampleStep, type StepOutcome } from '../step.ts';
import { defaultLabelRules } from './default-rules.ts';
import { evaluateLabels } from './evaluate.ts';
import type { LabelsSection } from './schema.ts';

/**
 * The `labels` curation step: replaces the sample's labels with those its signals earn under the
 * section's rules (the steward's first, then the defaults). It keeps every sample — an unlabelled
 * sample is still SFT material — unless `require_label` asks to drop those with no reward, no KTO
 * label and no preference.
 */
export function createLabelsStep(section: LabelsSection): SampleStep {
  const rules = section.use_defaults ? [...section.rules, ...defaultLabelRules] : [...section.rules];
  const sftByDefault = !section.sft_requires_positive_signal;
  return {
    name: 'labels',
    run(sample: Sample): StepOutcome {
      const labels = evaluateLabels(sample, rules, sftByDefault);
      if (section.require_label && labels.reward === null && labels.kto === null && labels.preference === null) {
        return drop('unlabelled');
      }
      return keep({ ...sample, labels });
    },
  };
}
