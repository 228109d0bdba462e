import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SampleSignal } from '@sluice/core';
import { feedback, labelsOf, outcome, sampleWith, t0, unlabelled } from './labels-fixtures.ts';

const positive = (rule: string) => ({ reward: 1, kto: true, sft: true, preference: null, rules: [rule] });
const negative = (rule: string) => ({ reward: -1, kto: false, sft: false, preference: null, rules: [rule] });
const only = (signal: SampleSignal) => labelsOf(sampleWith([signal]));

describe('labels defaults: feedback', () => {
  for (const value of ['up', true, 1]) {
    it(`thumbs ${JSON.stringify(value)} is positive`, () => {
      assert.deepEqual(only(feedback('thumbs', { value })), positive('default:thumbs-up'));
    });
  }
  for (const value of ['down', false, -1]) {
    it(`thumbs ${JSON.stringify(value)} is negative`, () => {
      assert.deepEqual(only(feedback('thumbs', { value })), negative('default:thumbs-down'));
    });
  }
  it('thumbs with an unknown value labels nothing', () => {
    assert.deepEqual(only(feedback('thumbs', { value: 0 })), unlabelled);
    assert.deepEqual(only(feedback('thumbs', { value: 'UP' })), unlabelled);
  });

  const ratings: [number, number, boolean, string][] = [
    [5, 1, true, 'default:rating-high'],
    [4, 0.5, true, 'default:rating-high'],
    [3.5, 0.25, false, 'default:rating-low'],
    [3, 0, false, 'default:rating-low'],
    [1, -1, false, 'default:rating-low'],
  ];
  for (const [value, reward, kto, rule] of ratings) {
    it(`rating ${value} maps to reward ${reward}, kto ${kto}`, () => {
      assert.deepEqual(only(feedback('rating', { value })), { reward, kto, sft: kto, preference: null, rules: [rule] });
    });
  }
  it('ratings off the 1..5 scale or not numbers label nothing', () => {
    for (const value of [0, 7, '5', true]) assert.deepEqual(only(feedback('rating', { value })), unlabelled);
  });

  it('a correction is negative and prefers the corrected text to the completion', () => {
    const labels = only(feedback('correction', { correction: 'It shipped yesterday.' }));
    assert.deepEqual(labels, {
      reward: -1,
      kto: false,
      sft: false,
      preference: {
        chosen: [{ role: 'assistant', content: 'It shipped yesterday.' }],
        rejected: [{ role: 'assistant', content: 'It ships tomorrow.' }],
        reason: 'correction',
      },
      rules: ['default:correction'],
    });
  });
  it('a session-wide correction cannot be attributed to one answer and labels nothing', () => {
    assert.deepEqual(only(feedback('correction', { correction: 'No.', scope: 'session' })), unlabelled);
  });
  it('a comment labels nothing', () => {
    assert.deepEqual(only(feedback('comment', { comment: 'meh' })), unlabelled);
  });
});

describe('labels defaults: outcomes', () => {
  for (const [kind, rule] of [['accepted', 'default:accepted'], ['copied', 'default:copied']]) {
    it(`${kind} is positive`, () => assert.deepEqual(only(outcome(kind!)), positive(rule!)));
  }
  for (const [kind, rule] of [['rejected', 'default:rejected'], ['regenerated', 'default:regenerated']]) {
    it(`${kind} is negative`, () => assert.deepEqual(only(outcome(kind!)), negative(rule!)));
  }
  for (const scope of ['generation', 'session'] as const) {
    it(`resolved and task_success are positive at ${scope} scope`, () => {
      assert.deepEqual(only(outcome('resolved', { scope })), positive('default:resolved'));
      assert.deepEqual(only(outcome('task_success', { scope })), positive('default:task-success'));
    });
    it(`escalated and task_failure are negative at ${scope} scope`, () => {
      assert.deepEqual(only(outcome('escalated', { scope })), negative('default:escalated'));
      assert.deepEqual(only(outcome('task_failure', { scope })), negative('default:task-failure'));
    });
  }
  it('abandoned is mildly negative', () => {
    assert.deepEqual(only(outcome('abandoned', { scope: 'session' })), { reward: -0.5, kto: false, sft: false, preference: null, rules: ['default:abandoned'] });
  });

  it('edited with a final text prefers the user text to the model output', () => {
    const labels = only(outcome('edited', { finalText: 'It ships on Friday.' }));
    assert.deepEqual(labels, {
      reward: -0.5,
      kto: false,
      sft: false,
      preference: {
        chosen: [{ role: 'assistant', content: 'It ships on Friday.' }],
        rejected: [{ role: 'assistant', content: 'It ships tomorrow.' }],
        reason: 'final_text',
      },
      rules: ['default:edited'],
    });
  });
  it('edited without a final text is still an edit, with no pair', () => {
    assert.deepEqual(only(outcome('edited')), { reward: -0.5, kto: false, sft: false, preference: null, rules: ['default:edited'] });
  });
  it('an edit that changed nothing but whitespace gives no pair', () => {
    assert.equal(only(outcome('edited', { finalText: '  It ships tomorrow.\n' })).preference, null);
    assert.equal(only(feedback('correction', { correction: 'It ships tomorrow. ' })).preference, null);
  });
});

describe('labels defaults: regeneration pairs', () => {
  const previousAttempt = [{ role: 'assistant' as const, content: 'I cannot help with that.' }];

  it('a regenerated sample that ends positive prefers its completion to the previous attempt', () => {
    const labels = labelsOf(sampleWith([outcome('accepted')], { previousAttempt }));
    assert.deepEqual(labels.preference, {
      chosen: [{ role: 'assistant', content: 'It ships tomorrow.' }],
      rejected: previousAttempt,
      reason: 'regenerated',
    });
  });
  it('gives no pair without a previous attempt', () => {
    assert.equal(labelsOf(sampleWith([outcome('accepted')])).preference, null);
  });
  it('gives no pair when the sample ends negative or unlabelled', () => {
    const late = { occurredAt: t0 + 5000 };
    assert.equal(labelsOf(sampleWith([outcome('accepted'), feedback('thumbs', { value: 'down', ...late })], { previousAttempt })).preference, null);
    assert.equal(labelsOf(sampleWith([], { previousAttempt })).preference, null);
  });
  it('gives no pair when the regenerated answer says the same thing', () => {
    const same = [{ role: 'assistant' as const, content: ' It ships tomorrow.' }];
    assert.equal(labelsOf(sampleWith([outcome('accepted')], { previousAttempt: same })).preference, null);
  });
  it('a session-wide success vouches for the regeneration too', () => {
    assert.equal(labelsOf(sampleWith([outcome('resolved', { scope: 'session' })], { previousAttempt })).preference?.reason, 'regenerated');
  });
  it('a user-written text beats the regeneration pair, even when praised afterwards', () => {
    const signals = [outcome('edited', { finalText: 'Friday.' }), feedback('thumbs', { value: 'up', occurredAt: t0 + 5000 })];
    const labels = labelsOf(sampleWith(signals, { previousAttempt }));
    assert.equal(labels.kto, true);
    assert.equal(labels.preference?.reason, 'final_text');
  });
});
