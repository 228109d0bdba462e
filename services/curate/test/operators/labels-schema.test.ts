import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { defaultLabelRules, labelRuleSchema, labelsSectionSchema } from '../../src/operators/labels/index.ts';

const thumbsUp = { name: 'thumbs-up', when: { signal: 'feedback', kind: 'thumbs', value: 'up' }, set: { reward: 1 } };

/** The paths of the zod issues for a section, as a steward would see them. */
function issuePaths(input: unknown): string[] {
  const result = labelsSectionSchema.safeParse(input);
  assert.equal(result.success, false, 'expected a validation error');
  return result.error!.issues.map((issue) => issue.path.join('.'));
}

function withRule(patch: Record<string, unknown>, when: Record<string, unknown> = {}, set: Record<string, unknown> = {}) {
  return { rules: [{ ...thumbsUp, ...patch, when: { ...thumbsUp.when, ...when }, set: { ...thumbsUp.set, ...set } }] };
}

describe('labels section schema: defaults', () => {
  it('an absent or empty section means the defaults', () => {
    const defaults = { use_defaults: true, rules: [], sft_requires_positive_signal: false, require_label: false };
    assert.deepEqual(labelsSectionSchema.parse(undefined), defaults);
    assert.deepEqual(labelsSectionSchema.parse({}), defaults);
  });

  it('parses a steward YAML section', () => {
    const yaml = `
use_defaults: false
require_label: true
rules:
  - name: five-stars
    when: { signal: feedback, kind: rating, value: { gte: 5 }, scope: generation }
    set: { reward: { from_value: { min: 1, max: 5 } }, kto: true, sft: true, preference: regenerated }
  - name: user-edit
    when: { signal: outcome, kind: edited, scope: generation, has: final_text }
    set: { kto: false, preference: final_text }
`;
    const section = labelsSectionSchema.parse(parseYaml(yaml));
    assert.equal(section.use_defaults, false);
    assert.equal(section.require_label, true);
    assert.deepEqual(section.rules.map((rule) => rule.name), ['five-stars', 'user-edit']);
    assert.deepEqual(section.rules[0]?.set.reward, { from_value: { min: 1, max: 5 } });
  });

  it('ships valid, uniquely named default rules', () => {
    for (const rule of defaultLabelRules) assert.equal(labelRuleSchema.safeParse(rule).success, true, rule.name);
    const names = defaultLabelRules.map((rule) => rule.name);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.every((name) => name.startsWith('default:')));
  });
});

describe('labels section schema: errors name the path', () => {
  it('rejects typo keys at every level', () => {
    assert.deepEqual(issuePaths({ use_default: true }), ['']);
    assert.deepEqual(issuePaths({ rules: [{ ...thumbsUp, wen: {} }] }), ['rules.0']);
    assert.deepEqual(issuePaths(withRule({}, { vlaue: 'up' })), ['rules.0.when']);
    assert.deepEqual(issuePaths(withRule({}, {}, { sft_ok: true })), ['rules.0.set']);
    assert.deepEqual(issuePaths(withRule({}, {}, { reward: { from_vlaue: { min: 1, max: 5 } } })), ['rules.0.set.reward']);
  });

  it('rejects unknown signals and kinds', () => {
    assert.deepEqual(issuePaths(withRule({}, { signal: 'feeback' })), ['rules.0.when.signal']);
    assert.deepEqual(issuePaths(withRule({}, { kind: 'thumb' })), ['rules.0.when.kind']);
    // Outcome kinds are not feedback kinds.
    assert.deepEqual(issuePaths(withRule({}, { kind: 'accepted' })), ['rules.0.when.kind']);
    assert.deepEqual(issuePaths(withRule({}, { scope: 'user' })), ['rules.0.when.scope']);
  });

  it('rejects bad set values', () => {
    assert.deepEqual(issuePaths(withRule({}, {}, { kto: 'yes' })), ['rules.0.set.kto']);
    assert.deepEqual(issuePaths(withRule({}, {}, { sft: 1 })), ['rules.0.set.sft']);
    assert.deepEqual(issuePaths(withRule({}, {}, { reward: 'high' })), ['rules.0.set.reward']);
    assert.deepEqual(issuePaths(withRule({}, {}, { reward: Number.POSITIVE_INFINITY })), ['rules.0.set.reward']);
    assert.deepEqual(issuePaths(withRule({}, {}, { preference: 'edited' })), ['rules.0.set.preference']);
    assert.deepEqual(issuePaths(withRule({}, {}, { reward: { from_value: { min: 5, max: 1 } } })), ['rules.0.set.reward.from_value.max']);
  });

  it('explains what a reward may be', () => {
    const result = labelsSectionSchema.safeParse(withRule({}, {}, { reward: 'high' }));
    assert.match(result.error?.issues[0]?.message ?? '', /number or \{ from_value/);
  });

  it('rejects value conditions that cannot mean anything', () => {
    assert.deepEqual(issuePaths(withRule({}, { value: {} })), ['rules.0.when.value']);
    assert.deepEqual(issuePaths(withRule({}, { value: { in: [] } })), ['rules.0.when.value.in']);
    assert.deepEqual(issuePaths(withRule({}, { value: { gte: '4' } })), ['rules.0.when.value']);
  });

  it('rejects texts the signal never carries and session-wide text pairs', () => {
    assert.deepEqual(issuePaths(withRule({}, { has: 'final_text' })), ['rules.0.when.has']);
    assert.deepEqual(issuePaths(withRule({}, { scope: 'generation' }, { preference: 'final_text' })), ['rules.0.set.preference']);
    const correction = { name: 'c', when: { signal: 'feedback', kind: 'correction' }, set: { preference: 'correction' } };
    assert.deepEqual(issuePaths({ rules: [correction] }), ['rules.0.when.scope']);
    assert.equal(labelsSectionSchema.safeParse({ rules: [{ ...correction, when: { ...correction.when, scope: 'generation' } }] }).success, true);
  });

  it('rejects duplicate and reserved rule names', () => {
    assert.deepEqual(issuePaths({ rules: [thumbsUp, thumbsUp] }), ['rules.1.name']);
    assert.deepEqual(issuePaths({ rules: [{ ...thumbsUp, name: 'default:thumbs-up' }] }), ['rules.0.name']);
    assert.deepEqual(issuePaths({ rules: [{ ...thumbsUp, name: '' }] }), ['rules.0.name']);
  });
});
