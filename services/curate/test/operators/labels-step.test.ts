import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLabelsStep } from '../../src/operators/labels/index.ts';
import { feedback, labelsOf, outcome, sampleWith, section, t0, unlabelled } from './labels-fixtures.ts';

const at = (seconds: number) => t0 + seconds * 1000;

describe('labels step: contract', () => {
  it('is named labels and recomputes labels from the signals alone', () => {
    const step = createLabelsStep(section());
    assert.equal(step.name, 'labels');
    assert.deepEqual(labelsOf(sampleWith([])), unlabelled);
  });

  it('never mutates its input and never aliases the input conversation in the pair', () => {
    const sample = sampleWith([outcome('edited', { finalText: 'Friday.' }), feedback('thumbs', { value: 'up' })], {
      previousAttempt: [{ role: 'assistant', content: 'No idea.' }],
    });
    const before = structuredClone(sample);
    const result = createLabelsStep(section()).run(sample);
    assert.deepEqual(sample, before);
    assert.equal(result.kind, 'keep');
    assert.notEqual(result.sample, sample);
    assert.notEqual(result.sample.labels.preference?.rejected, sample.completion);
    assert.deepEqual({ ...result.sample, labels: before.labels }, before);
  });

  it('is deterministic: same input, same output, whatever the order signals arrive in', () => {
    const signals = [
      feedback('thumbs', { eventId: 'b', value: 'up', occurredAt: at(2) }),
      outcome('rejected', { eventId: 'a', occurredAt: at(1) }),
      outcome('resolved', { eventId: 'c', scope: 'session', occurredAt: at(3) }),
    ];
    const step = createLabelsStep(section());
    const first = step.run(sampleWith(signals));
    assert.deepEqual(step.run(sampleWith(signals)), first);
    const reversed = step.run(sampleWith([...signals].reverse()));
    assert.ok(first.kind === 'keep' && reversed.kind === 'keep');
    assert.deepEqual(reversed.sample.labels, first.sample.labels);
  });

  it('keeps unlabelled samples unless require_label asks to drop them', () => {
    assert.equal(createLabelsStep(section()).run(sampleWith([])).kind, 'keep');
    const strict = createLabelsStep(section({ require_label: true }));
    assert.deepEqual(strict.run(sampleWith([])), { kind: 'drop', reason: 'unlabelled' });
    assert.deepEqual(strict.run(sampleWith([feedback('comment', { comment: 'hm' })])), { kind: 'drop', reason: 'unlabelled' });
    assert.equal(strict.run(sampleWith([outcome('accepted')])).kind, 'keep');
  });

  it('sft_requires_positive_signal makes signal-less samples ineligible for SFT', () => {
    const strict = section({ sft_requires_positive_signal: true });
    assert.equal(labelsOf(sampleWith([]), strict).sft, false);
    assert.equal(labelsOf(sampleWith([outcome('copied')]), strict).sft, true);
  });
});

describe('labels step: ordering and overrides', () => {
  it('the latest signal wins, by occurredAt, then eventId', () => {
    const upThenDown = [feedback('thumbs', { eventId: 'x', value: 'up', occurredAt: at(1) }), feedback('thumbs', { eventId: 'y', value: 'down', occurredAt: at(2) })];
    assert.equal(labelsOf(sampleWith(upThenDown)).kto, false);
    const tie = [feedback('thumbs', { eventId: 'y', value: 'up', occurredAt: at(1) }), feedback('thumbs', { eventId: 'x', value: 'down', occurredAt: at(1) })];
    assert.equal(labelsOf(sampleWith(tie)).kto, true);
  });

  it('records each fired rule once, in evaluation order', () => {
    const signals = [feedback('thumbs', { eventId: 'a', value: 'up', occurredAt: at(1) }), outcome('rejected', { occurredAt: at(2) }), feedback('thumbs', { eventId: 'c', value: 'up', occurredAt: at(3) })];
    assert.deepEqual(labelsOf(sampleWith(signals)).rules, ['default:thumbs-up', 'default:rejected']);
  });

  it('a later rule overrides only the fields it sets', () => {
    const rules = section({ rules: [{ name: 'comment-is-bad', when: { signal: 'feedback', kind: 'comment' }, set: { kto: false } }] });
    const labels = labelsOf(sampleWith([outcome('accepted', { occurredAt: at(1) }), feedback('comment', { comment: 'rude', occurredAt: at(2) })]), rules);
    assert.deepEqual(labels, { reward: 1, kto: false, sft: true, preference: null, rules: ['default:accepted', 'comment-is-bad'] });
  });

  it('generation-scoped signals override session-scoped ones whatever the time', () => {
    const downThenResolved = [feedback('thumbs', { value: 'down', occurredAt: at(1) }), outcome('resolved', { scope: 'session', occurredAt: at(9) })];
    assert.deepEqual(labelsOf(sampleWith(downThenResolved)), { reward: -1, kto: false, sft: false, preference: null, rules: ['default:resolved', 'default:thumbs-down'] });
    const escalatedAfterAccept = [outcome('accepted', { occurredAt: at(1) }), outcome('escalated', { scope: 'session', occurredAt: at(9) })];
    assert.equal(labelsOf(sampleWith(escalatedAfterAccept)).reward, 1);
  });

  it('session-scoped fields remain where no generation signal set them', () => {
    const rules = section({ rules: [{ name: 'copy-hint', when: { signal: 'outcome', kind: 'copied' }, set: { sft: true } }] });
    const labels = labelsOf(sampleWith([outcome('copied', { occurredAt: at(1) }), outcome('escalated', { scope: 'session', occurredAt: at(9) })]), rules);
    assert.deepEqual(labels, { reward: -1, kto: false, sft: true, preference: null, rules: ['default:escalated', 'copy-hint'] });
  });

  it('a later no-op edit undoes an earlier real edit', () => {
    const signals = [outcome('edited', { eventId: 'a', finalText: 'Friday.', occurredAt: at(1) }), outcome('edited', { eventId: 'b', finalText: 'It ships tomorrow.', occurredAt: at(2) })];
    assert.equal(labelsOf(sampleWith(signals)).preference, null);
  });
});

describe('labels step: steward rules', () => {
  it('run before the defaults: the first match per signal wins', () => {
    const rules = section({ rules: [{ name: 'soft-thumbs', when: { signal: 'feedback', kind: 'thumbs', value: 'up' }, set: { reward: 0.5 } }] });
    assert.deepEqual(labelsOf(sampleWith([feedback('thumbs', { value: 'up' })]), rules), { reward: 0.5, kto: null, sft: true, preference: null, rules: ['soft-thumbs'] });
    // A signal the steward rule does not match still reaches the defaults.
    assert.deepEqual(labelsOf(sampleWith([feedback('thumbs', { value: true })]), rules).rules, ['default:thumbs-up']);
  });

  it('an empty set silences a signal the defaults would label', () => {
    const rules = section({ rules: [{ name: 'ignore-session-outcomes', when: { signal: 'outcome', kind: 'resolved', scope: 'session' }, set: {} }] });
    assert.deepEqual(labelsOf(sampleWith([outcome('resolved', { scope: 'session' })]), rules), { ...unlabelled, rules: ['ignore-session-outcomes'] });
  });

  it('use_defaults: false runs the steward rules alone', () => {
    const rules = section({ use_defaults: false, rules: [{ name: 'accepted-only', when: { signal: 'outcome', kind: 'accepted' }, set: { kto: true } }] });
    assert.deepEqual(labelsOf(sampleWith([feedback('thumbs', { value: 'up' })]), rules), unlabelled);
    assert.equal(labelsOf(sampleWith([outcome('accepted')]), rules).kto, true);
  });

  it('from_value maps a numeric value linearly onto [-1, 1], clamped', () => {
    const rules = section({ rules: [{ name: 'nps', when: { signal: 'feedback', kind: 'rating' }, set: { reward: { from_value: { min: 0, max: 10 } } } }] });
    const rewardFor = (value: unknown) => labelsOf(sampleWith([feedback('rating', { value })]), rules).reward;
    assert.deepEqual([0, 2.5, 5, 10, 12, -3].map(rewardFor), [-1, -0.5, 0, 1, 1, -1]);
  });

  it('a from_value rule does not match a non-numeric value, so the next rule gets it', () => {
    const rules = section({
      use_defaults: false,
      rules: [
        { name: 'scored', when: { signal: 'outcome', kind: 'task_success' }, set: { reward: { from_value: { min: 0, max: 1 } } } },
        { name: 'flag', when: { signal: 'outcome', kind: 'task_success' }, set: { reward: 1 } },
      ],
    });
    assert.deepEqual(labelsOf(sampleWith([outcome('task_success', { value: 0.25 })]), rules).rules, ['scored']);
    assert.deepEqual(labelsOf(sampleWith([outcome('task_success', { value: 'yes' })]), rules).rules, ['flag']);
  });

  it('match on scope, has, in and numeric bounds', () => {
    const rules = section({
      use_defaults: false,
      rules: [
        { name: 'bounded', when: { signal: 'outcome', kind: 'copied', value: { gt: 10, lt: 100 } }, set: { reward: 1 } },
        { name: 'listed', when: { signal: 'outcome', kind: 'copied', value: { in: ['all', 0] } }, set: { reward: 0 } },
        { name: 'session', when: { signal: 'outcome', kind: 'accepted', scope: 'session' }, set: { reward: 0.2 } },
        { name: 'commented', when: { signal: 'feedback', kind: 'thumbs', has: 'comment' }, set: { reward: 0.3 } },
      ],
    });
    const firedFor = (...signals: Parameters<typeof sampleWith>[0]) => labelsOf(sampleWith(signals), rules).rules;
    assert.deepEqual(firedFor(outcome('copied', { value: 50 })), ['bounded']);
    assert.deepEqual(firedFor(outcome('copied', { value: 100 })), []);
    assert.deepEqual(firedFor(outcome('copied', { value: 'all' })), ['listed']);
    assert.deepEqual(firedFor(outcome('copied', { value: '0' })), []);
    assert.deepEqual(firedFor(outcome('accepted', { scope: 'session' })), ['session']);
    assert.deepEqual(firedFor(outcome('accepted')), []);
    assert.deepEqual(firedFor(feedback('thumbs', { value: 'up', comment: 'great' })), ['commented']);
    assert.deepEqual(firedFor(feedback('thumbs', { value: 'up', comment: '   ' })), []);
  });
});
