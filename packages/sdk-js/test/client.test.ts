/** What the client builds and when it captures — with a recording fetch (delivery: *.integration.test.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeliveryError } from '../src/index.ts';
import { capturingClient } from './support/capture.ts';

test('identify() and defaults merge into every later event; the event\'s own fields win', async () => {
  const { client, events } = capturingClient({ defaults: { anonymous_id: 'anon_1', context: { app_version: '1.2.0' } } });
  client.track('before');
  client.identify({ user_id: 'u_1', session_id: 's_1' });
  client.track('after', undefined, { session_id: 's_override', context: { locale: 'de-DE' } });
  await client.shutdown();
  const [before, after] = events();
  assert.equal(before!.user_id, undefined);
  assert.equal(before!.anonymous_id, 'anon_1');
  assert.equal(after!.user_id, 'u_1');
  assert.equal(after!.anonymous_id, 'anon_1');
  assert.equal(after!.session_id, 's_override');
  assert.deepEqual(after!.context, { sdk: { name: 'sluice-js', version: '0.1.0' }, app_version: '1.2.0', locale: 'de-DE' });
});

test('occurred_at takes a Date or a string and defaults to now', async () => {
  const { client, events } = capturingClient({ defaults: { user_id: 'u' } });
  client.track('a', {}, { occurred_at: new Date('2025-06-12T09:14:03.512Z') });
  client.track('b', {}, { occurred_at: '2025-06-12T10:14:03.512+01:00' });
  const before = Date.now();
  client.track('c');
  await client.shutdown();
  const [a, b, c] = events();
  assert.equal(a!.occurred_at, '2025-06-12T09:14:03.512Z');
  assert.equal(b!.occurred_at, '2025-06-12T10:14:03.512+01:00');
  assert.ok(Math.abs(Date.parse(String(c!.occurred_at)) - before) < 1000);
});

test('opt-out: nothing is captured or sent; queued events are discarded; optIn() resumes', async () => {
  const { client, events } = capturingClient({ defaults: { user_id: 'u' } });
  client.track('queued_then_discarded');
  client.optOut();
  client.track('while_opted_out');
  assert.equal(client.stats().queued, 0);
  await client.flush();
  client.optIn();
  client.track('after_opt_in');
  await client.shutdown();
  assert.deepEqual(events().map((e) => e.name), ['after_opt_in']);
});

test('disabled: true starts opted out', async () => {
  const { client, bodies } = capturingClient({ disabled: true, defaults: { user_id: 'u' } });
  client.track('x');
  await client.shutdown();
  assert.equal(bodies.length, 0);
});

test('a throwing onError hook does not break delivery', async () => {
  const { client, events } = capturingClient({ maxQueue: 1, defaults: { user_id: 'u' }, onError: () => { throw new Error('hook bug'); } });
  client.track('dropped');
  client.track('kept');
  await client.shutdown();
  assert.deepEqual(events().map((e) => e.name), ['kept']);
  assert.equal(client.stats().dropped, 1);
});

test('debug logging goes to the given function', async () => {
  const lines: string[] = [];
  const { client } = capturingClient({ defaults: { user_id: 'u' }, debug: (message) => lines.push(message) });
  client.track('x');
  await client.shutdown();
  assert.ok(lines.some((l) => l.startsWith('sent 1 events')), lines.join('\n'));
});

test('the endpoint may end with a slash; requests go to /v1/batch with the write key', async () => {
  const urls: string[] = [];
  const auth: string[] = [];
  const errors: DeliveryError[] = [];
  const { client } = capturingClient({
    endpoint: 'https://sluice.example.com/', writeKey: 'sk_abc', defaults: { user_id: 'u' }, onError: (e) => errors.push(e),
    fetch: async (url, init) => {
      urls.push(String(url));
      auth.push(new Headers(init?.headers).get('authorization') ?? '');
      return new Response('{"accepted":1,"duplicates":0,"rejected":[]}', { status: 200 });
    },
  });
  client.track('x');
  await client.shutdown();
  assert.deepEqual(urls, ['https://sluice.example.com/v1/batch']);
  assert.deepEqual(auth, ['Bearer sk_abc']);
  assert.deepEqual(errors, []);
});
