import type { LabelRule } from './schema.ts';

/**
 * Built-in rules, evaluated after the steward's own when `use_defaults` is true. Every rule sets
 * reward, kto and sft together so that a later signal overriding an earlier one never leaves a
 * mix of two verdicts. Positive rules also vouch for a regeneration pair: when the sample is a
 * regeneration (it has a `previousAttempt`) and ends positive, the user preferred this answer.
 *
 * Not labelled on purpose: `comment` feedback (free text, no polarity), session-scoped corrections
 * and edits (the text cannot be paired with one completion), ratings outside 1..5 (another scale:
 * write a rule with your own `from_value` range).
 */
const positive = { reward: 1, kto: true, sft: true, preference: 'regenerated' } as const;
const negative = { reward: -1, kto: false, sft: false } as const;

export const defaultLabelRules: readonly LabelRule[] = [
  // Feedback.
  {
    name: 'default:thumbs-up',
    when: { signal: 'feedback', kind: 'thumbs', value: { in: ['up', true, 1] } },
    set: positive,
  },
  {
    name: 'default:thumbs-down',
    when: { signal: 'feedback', kind: 'thumbs', value: { in: ['down', false, -1] } },
    set: negative,
  },
  {
    name: 'default:rating-high',
    when: { signal: 'feedback', kind: 'rating', value: { gte: 4, lte: 5 } },
    set: { ...positive, reward: { from_value: { min: 1, max: 5 } } },
  },
  {
    name: 'default:rating-low',
    when: { signal: 'feedback', kind: 'rating', value: { gte: 1, lt: 4 } },
    set: { ...negative, reward: { from_value: { min: 1, max: 5 } } },
  },
  {
    // The user wrote what the answer should have been: the answer was wrong.
    name: 'default:correction',
    when: { signal: 'feedback', kind: 'correction', scope: 'generation' },
    set: { ...negative, preference: 'correction' },
  },

  // Outcomes.
  { name: 'default:accepted', when: { signal: 'outcome', kind: 'accepted' }, set: positive },
  { name: 'default:copied', when: { signal: 'outcome', kind: 'copied' }, set: positive },
  { name: 'default:rejected', when: { signal: 'outcome', kind: 'rejected' }, set: negative },
  {
    // The answer was used only after changes: worse than accepted, not as bad as rejected; the
    // user's final text is the better answer.
    name: 'default:edited',
    when: { signal: 'outcome', kind: 'edited', scope: 'generation' },
    set: { reward: -0.5, kto: false, sft: false, preference: 'final_text' },
  },
  // Targets the earlier generation the user discarded; the new one carries the pair.
  { name: 'default:regenerated', when: { signal: 'outcome', kind: 'regenerated' }, set: negative },
  { name: 'default:resolved', when: { signal: 'outcome', kind: 'resolved' }, set: positive },
  { name: 'default:task-success', when: { signal: 'outcome', kind: 'task_success' }, set: positive },
  { name: 'default:escalated', when: { signal: 'outcome', kind: 'escalated' }, set: negative },
  { name: 'default:task-failure', when: { signal: 'outcome', kind: 'task_failure' }, set: negative },
  {
    // Leaving says less than an explicit rejection.
    name: 'default:abandoned',
    when: { signal: 'outcome', kind: 'abandoned' },
    set: { reward: -0.5, kto: false, sft: false },
  },
];
