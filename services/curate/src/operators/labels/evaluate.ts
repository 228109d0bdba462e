import type { Sample, SampleLabels, SampleSignal } from '@sluice/core';
import { findRule, resolveReward, signalText } from './match.ts';
import { regenerationPair, userTextPair, type PreferencePair } from './preference.ts';
import type { LabelRule } from './schema.ts';

// Session-scoped signals are folded first so that any generation-scoped signal overrides them
// whatever the time: "the session was resolved" is diffuse evidence about each of its answers,
// "this answer was rejected" is direct evidence about this one.
const scopeRank: Record<SampleSignal['scope'], number> = { session: 0, generation: 1 };

function signalOrder(a: SampleSignal, b: SampleSignal): number {
  if (a.scope !== b.scope) return scopeRank[a.scope] - scopeRank[b.scope];
  if (a.occurredAt !== b.occurredAt) return a.occurredAt - b.occurredAt;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

function endsPositive(reward: number | null, kto: boolean | null): boolean {
  return kto === true || (kto === null && reward !== null && reward > 0);
}

/**
 * Labels for one sample, computed from its signals alone (labels already on the sample are
 * ignored, so re-running curation gives the same result).
 *
 * Each signal is labelled by the first rule that matches it; signals are folded in order and a
 * later rule overrides only the fields it sets (the user's latest verdict wins). Preferences:
 * - a text pair (final_text / correction) comes from the latest rule that asks for one; it beats
 *   a regeneration pair, since a human-written answer is the stronger evidence and an edited
 *   answer was not kept as is;
 * - a regeneration pair needs a rule that vouched for it, a `previousAttempt`, and a sample that
 *   ends positive (kto true, or no kto and reward > 0): the kept answer must be the better one.
 */
export function evaluateLabels(sample: Sample, rules: readonly LabelRule[], sftByDefault: boolean): SampleLabels {
  let reward: number | null = null;
  let kto: boolean | null = null;
  let sft = sftByDefault;
  let textPair: PreferencePair | null = null;
  let regenerationVouched = false;
  const fired: string[] = [];

  for (const signal of [...sample.signals].sort(signalOrder)) {
    const rule = findRule(rules, signal);
    if (rule === undefined) continue;
    if (!fired.includes(rule.name)) fired.push(rule.name);
    const { set } = rule;
    if (set.reward !== undefined) reward = resolveReward(set.reward, signal) ?? reward;
    if (set.kto !== undefined) kto = set.kto;
    if (set.sft !== undefined) sft = set.sft;
    if (set.preference === 'regenerated') {
      regenerationVouched = true;
    } else if (set.preference !== undefined) {
      // Latest wins even when it yields no pair: an edit back to the original text undoes the earlier edit.
      textPair = userTextPair(signalText(signal, set.preference), sample.completion, set.preference);
    }
  }

  let preference = textPair;
  if (preference === null && regenerationVouched && endsPositive(reward, kto)) {
    preference = regenerationPair(sample.completion, sample.previousAttempt);
  }
  return { reward, kto, sft, preference, rules: fired };
}
