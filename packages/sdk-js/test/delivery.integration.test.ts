/**
 * Batching against the real ingest server (a child process), through a recording front.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { createClient, type ClientOptions, type DeliveryError } from '../src/index.ts';
import { startFront, startIngest, waitFor, WRITE_KEY, type Front, type Ingest } from './support/ingest.ts';

describe('delivery to the real ingest server', () => {
  let ingest: Ingest;
  let front: Front;
  before(async () => {
    ingest = await startIngest();
  });
  after(() => ingest.stop());
  beforeEach(async () => {
    front = await startFront(ingest.url);
  });
  afterEach(() => front.close());

  let errors: DeliveryError[];
  beforeEach(() => {
    errors = [];
  });
  afterEach(() => assert.deepEqual(errors.map((e) => e.message), [], 'no delivery errors'));
  const connect = (options: Partial<ClientOptions>) => createClient({ endpoint: front.url, writeKey: WRITE_KEY, onError: (e) => errors.push(e), ...options });

  const storedCounts = async (ids: string[]): Promise<Map<string, number>> => {
    const counts = new Map<string, number>();
    for (const e of await ingest.events()) if (ids.includes(e.event_id)) counts.set(e.event_id, (counts.get(e.event_id) ?? 0) + 1);
    return counts;
  };

  test('batches by count: at most flushAt events per request, sent_at on each, every event stored once', async () => {
    const client = connect({ flushAt: 10, flushIntervalMs: 60_000, defaults: { user_id: 'u_count' } });
    const ids = Array.from({ length: 25 }, (_, i) => client.track('step_viewed', { step: i }));
    await client.flush();

    assert.deepEqual(front.requests.map((r) => r.body?.events.length), [10, 10, 5]);
    for (const r of front.requests) {
      assert.equal(r.path, '/v1/batch');
      assert.equal(r.status, 200);
      assert.equal(r.headers.authorization, `Bearer ${WRITE_KEY}`);
      assert.ok(Math.abs(Date.parse(r.body!.sent_at!) - r.at) < 5_000, `sent_at ${r.body?.sent_at} is the send time`);
    }
    assert.deepEqual(front.requests.flatMap((r) => r.body!.events.map((e) => e.event_id)), ids, 'sent in order');
    const counts = await storedCounts(ids);
    assert.equal(counts.size, 25);
    assert.ok([...counts.values()].every((n) => n === 1));
    assert.equal(client.stats().sent, 25);
    await client.shutdown();
  });

  test('batches by bytes: no request carries more than maxBatchBytes of event JSON, gzip on the wire', async () => {
    const maxBatchBytes = 8192;
    const client = connect({ flushAt: 100, flushIntervalMs: 60_000, maxBatchBytes, defaults: { user_id: 'u_bytes' } });
    const ids = Array.from({ length: 20 }, (_, i) => client.track('note_saved', { i, text: `${i} `.padEnd(1000, 'lorem ipsum ') }));
    await client.flush();

    assert.ok(front.requests.length >= 3, `${front.requests.length} requests`);
    for (const r of front.requests) {
      const eventBytes = r.body!.events.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e)) + 1, 0);
      assert.ok(eventBytes <= maxBatchBytes, `${eventBytes} bytes of events in one request`);
      assert.equal(r.headers['content-encoding'], 'gzip');
      assert.ok(r.bytes < eventBytes / 3, `gzip: ${r.bytes} bytes on the wire for ${eventBytes}`);
    }
    assert.equal((await storedCounts(ids)).size, 20);
    await client.shutdown();
  });

  test('a queue reaching maxBatchBytes is sent without waiting for flushAt or the interval', async () => {
    const client = connect({ flushAt: 1000, flushIntervalMs: 60_000, maxBatchBytes: 4096, defaults: { user_id: 'u_trigger' } });
    for (let i = 0; i < 5; i++) client.track('big', { text: 'x'.repeat(1000) });
    await waitFor(() => front.requests.length > 0, 5_000, 'a request triggered by size');
    await client.shutdown();
  });

  test('sends on the interval without flush(); small bodies go uncompressed', async () => {
    const client = connect({ flushAt: 100, flushIntervalMs: 200, defaults: { user_id: 'u_interval' } });
    const started = Date.now();
    const ids = [client.track('a'), client.track('b'), client.track('c')];
    await waitFor(() => front.requests.length === 1 && front.requests[0]!.status === 200, 5_000, 'the interval flush');
    assert.ok(front.requests[0]!.at - started >= 150, 'waited for the interval');
    assert.equal(front.requests[0]!.headers['content-encoding'], undefined);
    assert.equal((await storedCounts(ids)).size, 3);
    await client.shutdown();
  });

  test('gzip: false sends plain JSON', async () => {
    const client = connect({ gzip: false, flushIntervalMs: 60_000, defaults: { user_id: 'u_plain' } });
    const id = client.track('big', { text: 'y'.repeat(5000) });
    await client.flush();
    assert.equal(front.requests[0]!.headers['content-encoding'], undefined);
    assert.equal(front.requests[0]!.headers['content-type'], 'application/json');
    assert.equal((await storedCounts([id])).size, 1);
    await client.shutdown();
  });

  test('shutdown() sends what is queued, then captures nothing more', async () => {
    const client = connect({ flushAt: 100, flushIntervalMs: 60_000, defaults: { user_id: 'u_shutdown' } });
    const ids = [client.track('one'), client.track('two')];
    assert.deepEqual(await client.shutdown(), { pending: 0 });
    client.track('after_shutdown');
    assert.equal(client.stats().queued, 0);
    assert.equal((await storedCounts(ids)).size, 2);
    assert.equal(front.requests.length, 1);
  });
});
