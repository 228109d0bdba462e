/**
 * Shared test vectors: every valid example event of the contract (schemas/examples/v1) is built
 * through the SDK's API and must come out as the same event, valid against the JSON Schemas.
 */
import { createEventValidator, loadExamples } from '@sluice/schemas';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SDK_INFO, type ConsentInput, type ErasureRequestInput, type FeedbackInput, type GenerationInput, type OutcomeInput, type TrackFields } from '../src/index.ts';
import { capturingClient } from './support/capture.ts';

const validateEvent = createEventValidator();
const { valid } = loadExamples();

test('there are examples of every event type', () => {
  assert.deepEqual(new Set(valid.map((e) => e.type)), new Set(['generation', 'feedback', 'outcome', 'consent', 'erasure_request', 'track']));
});

for (const example of valid) {
  test(`${example.name}: built through the SDK, same event, valid`, async () => {
    // sent_at is per request in the SDK (the batch's sent_at), not per event.
    const { type, sent_at: _sentAt, ...fields } = example.event as Record<string, unknown>;
    const { client, events } = capturingClient();
    switch (type) {
      case 'generation': {
        const returned = client.generation(fields as GenerationInput);
        assert.equal(returned, fields.generation_id);
        break;
      }
      case 'feedback': client.feedback(fields as FeedbackInput); break;
      case 'outcome': client.outcome(fields as OutcomeInput); break;
      case 'consent': client.consent(fields as ConsentInput); break;
      case 'erasure_request': client.erasureRequest(fields as ErasureRequestInput); break;
      case 'track': {
        const { name, properties, ...rest } = fields;
        client.track(name as string, properties as Record<string, unknown> | undefined, rest as TrackFields);
        break;
      }
      default: assert.fail(`unknown type ${String(type)}`);
    }
    await client.shutdown();
    const [sent] = events();
    const context = (fields.context ?? {}) as Record<string, unknown>;
    assert.deepEqual(sent, { type, ...fields, context: { sdk: SDK_INFO, ...context } });
    const result = validateEvent(sent);
    assert.ok(result.ok, result.ok ? '' : `${result.pointer} ${result.message}`);
  });
}

test('events built from the fewest fields are valid: the SDK fills event_id, occurred_at, generation_id and context.sdk', async () => {
  const { client, events } = capturingClient({ defaults: { user_id: 'u_42' } });
  const generationId = client.generation({ model: 'gpt-4o-mini', input: [{ role: 'user', content: 'hi' }], output: [{ role: 'assistant', content: 'hello' }] });
  client.feedback({ target: { generation_id: generationId }, kind: 'thumbs', value: 'up' });
  client.outcome({ target: { generation_id: generationId }, kind: 'copied' });
  client.consent({ scope: 'training', granted: true });
  client.erasureRequest({ user_id: 'u_42' });
  client.track('checkout_completed', { plan: 'pro' });
  await client.shutdown();
  const sent = events();
  assert.equal(sent.length, 6);
  for (const event of sent) {
    const result = validateEvent(event);
    assert.ok(result.ok, result.ok ? '' : `${String(event.type)}: ${result.pointer} ${result.message}`);
    assert.match(String(event.event_id), /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    assert.deepEqual((event.context as Record<string, unknown>).sdk, SDK_INFO);
  }
  assert.equal(sent[0]!.generation_id, generationId);
  assert.match(generationId, /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
});
