import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredEvent } from '@sluice/core';
import { makeIngestedEvent } from '@sluice/core/testing';
import { createSampleAssembler, sampleIdOf } from '../../src/assemble/assemble-samples.ts';
import { SignalIndex } from '../../src/assemble/signal-index.ts';

const T0 = Date.UTC(2026, 10, 29, 10, 0, 0);
let seq = 0;
function stored(type: string, payload: Record<string, unknown>, overrides: Partial<StoredEvent> = {}): StoredEvent {
  const base = makeIngestedEvent({ type, timestamp: T0, occurredAt: T0, ...overrides });
  return { ...base, ingestSeq: ++seq, payload: { ...payload, event_id: base.eventId, type } };
}
const generation = (id: string, input: unknown[], overrides: Partial<StoredEvent> = {}, extra: Record<string, unknown> = {}) =>
  stored('generation', { generation_id: id, model: 'm1', input, output: [{ role: 'assistant', content: `answer ${id}` }], ...extra }, overrides);

test('a generation becomes a sample with its conversation, tools, finish reason and lineage', () => {
  const index = new SignalIndex();
  const gen = generation('g1', [
    { role: 'user', content: [{ type: 'text', text: 'look up' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"id":1}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: '{"status":"ok"}' },
  ], {}, { tools: [{ type: 'function', function: { name: 'lookup' } }], finish_reason: 'stop', provider: 'vllm' });
  const sample = createSampleAssembler(index, { signalWindowMs: 60_000 })(gen);
  assert.equal(sample.sampleId, sampleIdOf(gen));
  assert.equal(sample.prompt[0]!.content, 'look up');
  assert.deepEqual(sample.prompt[1]!.tool_calls![0]!.function.arguments, { id: 1 }, 'argument strings become objects');
  assert.equal(sample.prompt[2]!.tool_call_id, 'c1');
  assert.deepEqual(sample.completion, [{ role: 'assistant', content: 'answer g1' }]);
  assert.equal(sample.finishReason, 'stop');
  assert.equal(sample.provider, 'vllm');
  assert.deepEqual(sample.lineage, [gen.eventId]);
  assert.equal(sample.userKey, 'user:user_42');
});

test('signals targeting the generation or its session attach inside the window, ordered by time', () => {
  const index = new SignalIndex();
  const fb = stored('feedback', { target: { generation_id: 'g2' }, kind: 'thumbs', value: 'up' }, { timestamp: T0 + 5000, occurredAt: T0 + 5000 });
  const resolved = stored('outcome', { target: { session_id: 'sess_1' }, kind: 'resolved' }, { timestamp: T0 + 1000, occurredAt: T0 + 1000 });
  const late = stored('outcome', { target: { generation_id: 'g2' }, kind: 'accepted' }, { timestamp: T0 + 120_000, occurredAt: T0 + 120_000 });
  const earlierSession = stored('outcome', { target: { session_id: 'sess_1' }, kind: 'abandoned' }, { timestamp: T0 - 1000, occurredAt: T0 - 1000 });
  const otherTenant = stored('feedback', { target: { generation_id: 'g2' }, kind: 'thumbs', value: 'down' }, { tenant: 'other' });
  for (const e of [fb, resolved, late, earlierSession, otherTenant]) index.add(e);
  const sample = createSampleAssembler(index, { signalWindowMs: 60_000 })(generation('g2', [{ role: 'user', content: 'hi' }]));
  assert.deepEqual(sample.signals.map((s) => [s.kind, s.scope]), [['resolved', 'session'], ['thumbs', 'generation']]);
  assert.deepEqual(sample.lineage.slice(1), [resolved.eventId, fb.eventId]);
});

test('a regenerated answer becomes the previous attempt of the next generation with the same prompt', () => {
  const index = new SignalIndex();
  index.add(stored('outcome', { target: { generation_id: 'first' }, kind: 'regenerated' }));
  const assemble = createSampleAssembler(index, { signalWindowMs: 60_000 });
  const prompt = [{ role: 'user', content: 'write a haiku' }];
  assert.equal(assemble(generation('first', prompt)).previousAttempt, null);
  const second = assemble(generation('second', prompt));
  assert.deepEqual(second.previousAttempt, [{ role: 'assistant', content: 'answer first' }]);
  assert.equal(assemble(generation('third', [{ role: 'user', content: 'something else' }])).previousAttempt, null);
});

test('consent: the latest training consent per user decides; users asking for erasure are marked', () => {
  const index = new SignalIndex();
  index.add(stored('consent', { scope: 'training', granted: true }, { userId: 'u1', timestamp: T0 }));
  index.add(stored('consent', { scope: 'training', granted: false }, { userId: 'u1', timestamp: T0 + 10 }));
  index.add(stored('consent', { scope: 'training', granted: true }, { userId: 'u1', timestamp: T0 + 5 }));
  index.add(stored('consent', { scope: 'analytics', granted: true }, { userId: 'u2' }));
  index.add(stored('consent', { scope: 'training', granted: true }, { userId: null, anonymousId: 'a1' }));
  const gone = stored('erasure_request', {}, { userId: 'u3' });
  index.add(gone);
  const state = index.consentState();
  assert.equal(state.latest.get('user:u1'), false, 'the latest by event time wins, not the last ingested');
  assert.equal(state.latest.has('user:u2'), false, 'other scopes do not count');
  assert.equal(state.latest.get('anon:a1'), true);
  assert.ok(state.erased.has('user:u3'));
  assert.ok(!state.erased.has(`user:${gone.eventId}`));
});

test('the same events give the same samples', () => {
  const events = [generation('d1', [{ role: 'user', content: 'x' }])];
  const a = createSampleAssembler(new SignalIndex(), { signalWindowMs: 1 })(events[0]!);
  const b = createSampleAssembler(new SignalIndex(), { signalWindowMs: 1 })(events[0]!);
  assert.deepEqual(a, b);
});
