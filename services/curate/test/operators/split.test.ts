import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSample } from '@sluice/core/testing';
import { createSplitStep, splitSectionSchema } from '../../src/operators/split.ts';

const run = (section: object, sample = makeSample()) => {
  const outcome = createSplitStep(splitSectionSchema.parse(section), { pseudonymKey: 'k'.repeat(32) }).run(sample);
  assert.equal(outcome.kind, 'keep');
  return outcome.kind === 'keep' ? outcome.sample : sample;
};

test('deterministic, about the configured fraction, and one user never on both sides', () => {
  const users = Array.from({ length: 2000 }, (_, i) => `user:${i}`);
  const splits = users.map((u) => run({ eval_fraction: 0.1 }, makeSample({ userKey: u })).split);
  const evalShare = splits.filter((s) => s === 'eval').length / users.length;
  assert.ok(evalShare > 0.07 && evalShare < 0.13, `eval share ${evalShare}`);
  for (const u of users.slice(0, 50)) {
    const a = run({ eval_fraction: 0.1 }, makeSample({ userKey: u }));
    const b = run({ eval_fraction: 0.1 }, makeSample({ userKey: u, sessionId: 'other' }));
    assert.equal(a.split, b.split);
  }
});

test('by session splits on the session; the seed changes the assignment', () => {
  const a = Array.from({ length: 200 }, (_, i) => run({ by: 'session', eval_fraction: 0.5 }, makeSample({ sessionId: `s${i}` })).split);
  const b = Array.from({ length: 200 }, (_, i) => run({ by: 'session', eval_fraction: 0.5, seed: 'other' }, makeSample({ sessionId: `s${i}` })).split);
  assert.notDeepEqual(a, b);
});

test('the raw user key is replaced by a stable pseudonym', () => {
  const a = run({}, makeSample({ userKey: 'user:jane@example.com' }));
  const b = run({}, makeSample({ userKey: 'user:jane@example.com' }));
  assert.match(a.userKey!, /^u_[0-9a-f]{16}$/);
  assert.equal(a.userKey, b.userKey);
  assert.ok(!JSON.stringify(a).includes('jane@example.com'));
  assert.equal(run({}, makeSample({ userKey: null })).userKey, null);
});

test('eval_fraction 0 and 1 are all-train and all-eval; names are configurable', () => {
  assert.equal(run({ eval_fraction: 0 }).split, 'train');
  assert.equal(run({ eval_fraction: 1, names: { eval: 'test' } }).split, 'test');
});
