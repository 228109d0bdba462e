import type { SampleSignal } from '@sluice/core';
import type { LabelRule, LabelRuleWhen, RewardSetting, Scalar, SignalTextField, ValueCondition } from './schema.ts';

/**
 * Rule evaluation is plain data comparison: equality, numeric bounds and membership. Nothing a
 * steward writes is ever compiled or executed.
 */

export function signalText(signal: SampleSignal, field: SignalTextField): string | undefined {
  switch (field) {
    case 'final_text':
      return signal.finalText;
    case 'correction':
      return signal.correction;
    case 'comment':
      return signal.comment;
  }
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function matchesValue(condition: ValueCondition, value: unknown): boolean {
  if (typeof condition !== 'object') return value === condition;
  if (condition.in !== undefined && !condition.in.some((allowed: Scalar) => allowed === value)) return false;
  const hasBounds = condition.gte !== undefined || condition.gt !== undefined || condition.lte !== undefined || condition.lt !== undefined;
  if (!hasBounds) return true;
  const number = finiteNumber(value);
  if (number === undefined) return false;
  return (
    (condition.gte === undefined || number >= condition.gte) &&
    (condition.gt === undefined || number > condition.gt) &&
    (condition.lte === undefined || number <= condition.lte) &&
    (condition.lt === undefined || number < condition.lt)
  );
}

export function matchesWhen(when: LabelRuleWhen, signal: SampleSignal): boolean {
  if (when.signal !== signal.type || when.kind !== signal.kind) return false;
  if (when.scope !== undefined && when.scope !== signal.scope) return false;
  if (when.value !== undefined && !matchesValue(when.value, signal.value)) return false;
  if (when.has !== undefined && (signalText(signal, when.has)?.trim() ?? '') === '') return false;
  return true;
}

/**
 * The reward a rule gives this signal, or undefined when it cannot give one: a `from_value` rule
 * needs a numeric value, and does not match a signal without one (the next rule gets its chance).
 */
export function resolveReward(reward: RewardSetting, signal: SampleSignal): number | undefined {
  if (typeof reward === 'number') return reward;
  const value = finiteNumber(signal.value);
  if (value === undefined) return undefined;
  const { min, max } = reward.from_value;
  const clamped = Math.min(max, Math.max(min, value));
  return ((clamped - min) / (max - min)) * 2 - 1;
}

/** First rule that matches the signal, in order; undefined when none does. */
export function findRule(rules: readonly LabelRule[], signal: SampleSignal): LabelRule | undefined {
  return rules.find((rule) => {
    if (!matchesWhen(rule.when, signal)) return false;
    return rule.set.reward === undefined || resolveReward(rule.set.reward, signal) !== undefined;
  });
}
