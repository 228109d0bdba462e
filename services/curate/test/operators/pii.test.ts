import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSample } from '@sluice/core/testing';
import { createPiiStep, piiSectionSchema } from '../../src/operators/pii.ts';

const key = { pseudonymKey: 'a-tenant-secret-of-32-characters' };
const step = (section: object = {}) => createPiiStep(piiSectionSchema.parse(section), key);

const sample = makeSample({
  prompt: [
    { role: 'user', content: 'Hi, I am jane.doe@example.com, call me on +44 20 7946 0958' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: { email: 'jane.doe@example.com', order: 'A-1' } } }] },
    { role: 'tool', tool_call_id: 'c1', content: '{"card": "4111 1111 1111 1111", "status": "shipped"}' },
  ],
  completion: [{ role: 'assistant', content: 'Your key AKIA4HXQ7RZ2WBNLK3TD was exposed.' }],
  signals: [{ eventId: 'e1', type: 'outcome', kind: 'edited', finalText: 'Write to jane.doe@example.com', scope: 'generation', occurredAt: 1 }],
});

test('every text field is redacted and findings are counted by type, never by value', () => {
  const outcome = step().run(sample);
  assert.equal(outcome.kind, 'keep');
  if (outcome.kind !== 'keep') return;
  const text = JSON.stringify(outcome.sample);
  for (const planted of ['jane.doe@example.com', '7946 0958', '4111 1111 1111 1111', 'AKIA4HXQ7RZ2WBNLK3TD']) {
    assert.ok(!text.includes(planted), `${planted} survived`);
  }
  assert.match(outcome.sample.prompt[0]!.content!, /<EMAIL>.*<PHONE>/);
  assert.deepEqual(outcome.sample.prompt[1]!.tool_calls![0]!.function.arguments, { email: '<EMAIL>', order: 'A-1' });
  assert.match(outcome.sample.signals[0]!.finalText!, /<EMAIL>/);
  assert.equal(outcome.sample.pii.EMAIL, 3);
  assert.equal(outcome.sample.pii.PHONE, 1);
  assert.equal(outcome.sample.pii.CREDIT_CARD, 1);
  assert.equal(outcome.sample.pii.SECRET, 1);
  assert.equal(sample.prompt[0]!.content!.includes('jane.doe'), true, 'input not mutated');
});

test('pseudonymize gives the same token for the same value across fields', () => {
  const outcome = step({ actions: { EMAIL: 'pseudonymize' } }).run(sample);
  assert.equal(outcome.kind, 'keep');
  if (outcome.kind !== 'keep') return;
  const token = /<EMAIL_[0-9a-f]{8}>/.exec(outcome.sample.prompt[0]!.content!)?.[0];
  assert.ok(token);
  assert.equal((outcome.sample.prompt[1]!.tool_calls![0]!.function.arguments as { email: string }).email, token);
});

test('drop_sample drops, a disabled detector leaves its type alone, enabled: false skips the step', () => {
  assert.deepEqual(step({ actions: { SECRET: 'drop_sample' } }).run(sample), { kind: 'drop', reason: 'pii_drop_sample' });
  const noPhone = step({ detectors: { PHONE: false } }).run(sample);
  assert.ok(noPhone.kind === 'keep' && noPhone.sample.prompt[0]!.content!.includes('7946 0958'));
  const off = step({ enabled: false }).run(sample);
  assert.ok(off.kind === 'keep' && off.sample === sample);
});
