/**
 * Retries, rejections and bounded memory against the real ingest server. Faults are injected by a
 * front that fails requests before (or after) forwarding them to the server; the server itself is real.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { createClient, type ClientOptions, type DeliveryError } from '../src/index.ts';
import { startFront, startIngest, WRITE_KEY, type Front, type Ingest } from './support/ingest.ts';

describe('retries against the real ingest server', () => {
  let ingest: Ingest;
  let front: Front;
  let errors: DeliveryError[];
  before(async () => {
    ingest = await startIngest();
  });
  after(() => ingest.stop());
  beforeEach(async () => {
    front = await startFront(ingest.url);
    errors = [];
  });
  afterEach(() => front.close());

  const connect = (options: Partial<ClientOptions> = {}) => createClient({
    endpoint: front.url, writeKey: WRITE_KEY, flushAt: 100, flushIntervalMs: 60_000, retryBaseMs: 10, retryMaxMs: 50,
    defaults: { user_id: 'u_retry' }, onError: (e) => errors.push(e), ...options,
  });
  const stored = async (ids: string[]): Promise<string[]> => (await ingest.events()).map((e) => e.event_id).filter((id) => ids.includes(id));
  const gaps = (): number[] => front.requests.slice(1).map((r, i) => r.at - front.requests[i]!.at);

  test('503 with Retry-After: waits at least Retry-After, then delivers', async () => {
    front.faults.push({ kind: 'status', status: 503, retryAfter: '1' }, { kind: 'status', status: 503, retryAfter: '1' });
    const client = connect();
    const ids = [client.track('a'), client.track('b')];
    await client.flush();
    assert.deepEqual(front.requests.map((r) => r.status), [503, 503, 200]);
    assert.ok(gaps().every((gap) => gap >= 950), `gaps ${gaps().join(', ')} ms honour Retry-After: 1 (backoff alone is ≤ 50 ms)`);
    assert.deepEqual((await stored(ids)).sort(), [...ids].sort());
    assert.deepEqual(errors, []);
    await client.shutdown();
  });

  test('429 with Retry-After: waits, then delivers', async () => {
    front.faults.push({ kind: 'status', status: 429, retryAfter: '1' });
    const client = connect();
    const ids = [client.track('a')];
    await client.flush();
    assert.deepEqual(front.requests.map((r) => r.status), [429, 200]);
    assert.ok(gaps()[0]! >= 950, `gap ${gaps()[0]} ms`);
    assert.deepEqual(await stored(ids), ids);
    await client.shutdown();
  });

  test('network errors are retried with backoff', async () => {
    front.faults.push({ kind: 'reset' }, { kind: 'status', status: 500 });
    const client = connect();
    const ids = [client.track('a')];
    await client.flush();
    assert.equal(front.requests.length, 3);
    assert.deepEqual(await stored(ids), ids);
    assert.deepEqual(errors, []);
    await client.shutdown();
  });

  test('lost acknowledgements: the server stored the batch, the retries are deduplicated, nothing is stored twice', async () => {
    front.faults.push({ kind: 'lose-ack' }, { kind: 'lose-ack' });
    const client = connect();
    const ids = Array.from({ length: 30 }, (_, i) => client.track('step', { i }));
    await client.flush();
    assert.deepEqual(front.requests.map((r) => r.status), [503, 503, 200]);
    assert.deepEqual(front.requests.map((r) => r.body?.events.map((e) => e.event_id)), [ids, ids, ids], 'the same ids every time');
    const storedIds = await stored(ids);
    assert.equal(storedIds.length, 30, 'each event stored exactly once');
    assert.equal(new Set(storedIds).size, 30);
    assert.equal(client.stats().sent, 30);
    await client.shutdown();
  });

  test('other 4xx are not retried: the batch is dropped and reported', async () => {
    const client = connect({ writeKey: 'sk_wrong' });
    const ids = [client.track('a'), client.track('b')];
    await client.flush();
    assert.equal(front.requests.length, 1);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.kind, 'http');
    assert.equal(errors[0]!.status, 401);
    assert.equal(errors[0]!.code, 'SLUICE_ERR_UNAUTHORIZED');
    assert.deepEqual(errors[0]!.events.map((e) => e.event_id), ids);
    assert.equal(client.stats().queued, 0);
    await client.shutdown();
  });

  test('per-event rejections go to onError and are not retried; the rest of the batch is stored', async () => {
    const client = connect({ defaults: {} });
    const good = client.track('ok', {}, { user_id: 'u1' });
    const bad = client.track('no_user'); // neither user_id nor anonymous_id
    const good2 = client.track('ok', {}, { anonymous_id: 'a1' });
    await client.flush();
    assert.equal(front.requests.length, 1);
    assert.equal(errors.length, 1);
    const [error] = errors;
    assert.equal(error!.kind, 'rejected');
    assert.deepEqual(error!.events.map((e) => e.event_id), [bad]);
    assert.deepEqual(error!.rejected?.map((r) => [r.index, r.event_id, r.code, r.pointer]), [[1, bad, 'SLUICE_ERR_EVENT_INVALID', '']]);
    assert.deepEqual((await stored([good, bad, good2])).sort(), [good, good2].sort());
    assert.equal(client.stats().sent, 2);
    await client.shutdown();
  });

  test('when retries run out the events are requeued, reported, and delivered by a later flush', async () => {
    front.down = { kind: 'status', status: 503, retryAfter: '0' };
    const client = connect({ maxRetries: 2, flushAt: 2 });
    const ids = [client.track('a'), client.track('b')];
    await client.flush();
    assert.equal(front.requests.length, 3, 'one try and two retries');
    assert.deepEqual(errors.map((e) => e.kind), ['retry']);
    assert.deepEqual(client.stats(), { queued: 2, inflight: 0, sent: 0, dropped: 0 });
    ids.push(client.track('c'), client.track('d'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(front.requests.length, 3, 'while failing, reaching flushAt waits for the interval instead of hammering');
    front.down = undefined;
    await client.flush();
    assert.deepEqual((await stored(ids)).sort(), [...ids].sort());
    await client.shutdown();
  });

  test('shutdown() returns within its deadline while the server keeps failing, and reports what is left', async () => {
    front.down = { kind: 'status', status: 503, retryAfter: '30' };
    const client = connect();
    client.track('a');
    client.track('b');
    const started = Date.now();
    const result = await client.shutdown(300);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 1_500, `shutdown took ${elapsed} ms`);
    assert.deepEqual(result, { pending: 2 });
    assert.deepEqual(errors.map((e) => e.kind), ['shutdown']);
    assert.equal(errors[0]!.events.length, 2);
  });

  test('bounded queue: beyond maxQueue the oldest events are dropped and counted', async () => {
    const client = connect({ maxQueue: 5 });
    const ids = Array.from({ length: 8 }, (_, i) => client.track('e', { i }));
    assert.deepEqual(client.stats(), { queued: 5, inflight: 0, sent: 0, dropped: 3 });
    assert.deepEqual(errors.flatMap((e) => (e.kind === 'dropped' ? e.events.map((x) => x.event_id) : [])), ids.slice(0, 3));
    await client.flush();
    assert.deepEqual((await stored(ids)).sort(), ids.slice(3).sort());
    await client.shutdown();
  });
});

describe('the ingest server\'s own rate limit', () => {
  let ingest: Ingest;
  before(async () => {
    ingest = await startIngest({ SLUICE_RATE_LIMIT_PER_SECOND: '2', SLUICE_RATE_LIMIT_BURST: '1' });
  });
  after(() => ingest.stop());

  test('real 429s with Retry-After are waited out, and every event arrives once', async () => {
    const front = await startFront(ingest.url);
    const errors: DeliveryError[] = [];
    const client = createClient({
      endpoint: front.url, writeKey: WRITE_KEY, flushAt: 5, flushIntervalMs: 60_000, retryBaseMs: 10, retryMaxMs: 50,
      defaults: { user_id: 'u_rate' }, onError: (e) => errors.push(e),
    });
    const ids = Array.from({ length: 15 }, (_, i) => client.track('e', { i }));
    await client.flush();
    const statuses = front.requests.map((r) => r.status);
    assert.ok(statuses.includes(429), `the server rate-limited some requests: ${statuses.join(', ')}`);
    assert.equal(statuses.filter((s) => s === 200).length, 3);
    for (const [i, r] of front.requests.entries()) {
      if (r.status === 429) assert.ok(front.requests[i + 1]!.at - r.at >= 950, 'waited Retry-After (1 s)');
    }
    const stored = (await ingest.events()).map((e) => e.event_id);
    assert.deepEqual(stored.filter((id) => ids.includes(id)).sort(), [...ids].sort());
    assert.deepEqual(errors, []);
    await client.shutdown();
    await front.close();
  });
});
