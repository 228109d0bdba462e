import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { WRITE_KEY, createTestApp, exampleEvent, postBatch, removeDir, testConfig, type TestApp } from './helpers.ts';

function assertError(response: { statusCode: number; json: () => unknown }, status: number, code: string): Record<string, unknown> {
  assert.equal(response.statusCode, status);
  const body = response.json() as { error: Record<string, unknown> };
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  return body.error;
}

describe('POST /v1/batch error contract', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ config: testConfig({ ingest: { maxEventsPerBatch: 5, maxBodyBytes: 64 * 1024, rateLimitPerSecond: 0 } }) });
  });
  after(async () => { await t.close(); await removeDir(t.dir); });

  test('401 without a write key, with an unknown one, or with the admin token', async () => {
    assertError(await postBatch(t.app, { events: [] }, { authorization: '' }), 401, 'SLUICE_ERR_UNAUTHORIZED');
    assertError(await postBatch(t.app, { events: [] }, { authorization: 'Bearer sk_wrong_key_123' }), 401, 'SLUICE_ERR_UNAUTHORIZED');
    assertError(await postBatch(t.app, { events: [] }, { authorization: 'Bearer admin_test_token' }), 401, 'SLUICE_ERR_UNAUTHORIZED');
  });

  test('400 on malformed JSON, with the position of the fault', async () => {
    const error = assertError(await postBatch(t.app, '{"events": [1, 2,, 3]}'), 400, 'SLUICE_ERR_MALFORMED_JSON');
    assert.equal(error.position, 17);
  });

  test('400 when the body is JSON but not a batch, or sent_at is not RFC 3339', async () => {
    assertError(await postBatch(t.app, [1, 2]), 400, 'SLUICE_ERR_BATCH_INVALID');
    assertError(await postBatch(t.app, { event: [] }), 400, 'SLUICE_ERR_BATCH_INVALID');
    assertError(await postBatch(t.app, 'null'), 400, 'SLUICE_ERR_BATCH_INVALID');
    assertError(await postBatch(t.app, { events: [], sent_at: 'now' }), 400, 'SLUICE_ERR_BATCH_INVALID');
  });

  test('413 for too many events and for a body over the limit, compressed or not', async () => {
    const events = Array.from({ length: 6 }, () => exampleEvent('track'));
    assertError(await postBatch(t.app, { events }), 413, 'SLUICE_ERR_BATCH_TOO_MANY_EVENTS');
    assertError(await postBatch(t.app, { events: [], pad: 'x'.repeat(70 * 1024) }), 413, 'SLUICE_ERR_PAYLOAD_TOO_LARGE');
    // A gzip bomb: 200 bytes on the wire, 10 MB once inflated. It stops at the cap.
    const bomb = gzipSync(JSON.stringify({ events: [], pad: ' '.repeat(10 * 1024 * 1024) }));
    assert.ok(bomb.length < 64 * 1024);
    assertError(await postBatch(t.app, bomb, { 'content-encoding': 'gzip' }), 413, 'SLUICE_ERR_PAYLOAD_TOO_LARGE');
  });

  test('400 for a body that claims gzip but is not', async () => {
    assertError(await postBatch(t.app, '{"events":[]}', { 'content-encoding': 'gzip' }), 400, 'SLUICE_ERR_MALFORMED_JSON');
  });

  test('415 for other media types and encodings', async () => {
    assertError(await postBatch(t.app, '{"events":[]}', { 'content-type': 'text/plain' }), 415, 'SLUICE_ERR_UNSUPPORTED_MEDIA_TYPE');
    assertError(await postBatch(t.app, 'events=1', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'SLUICE_ERR_UNSUPPORTED_MEDIA_TYPE');
    assertError(await postBatch(t.app, '{"events":[]}', { 'content-encoding': 'br' }), 415, 'SLUICE_ERR_UNSUPPORTED_ENCODING');
  });

  test('404 with a code for unknown routes', async () => {
    assertError(await t.app.inject({ method: 'GET', url: '/v1/nothing' }), 404, 'SLUICE_ERR_NOT_FOUND');
  });
});

describe('rate limit', () => {
  test('429 with Retry-After once a key exceeds its budget; other keys are unaffected', async () => {
    const t = await createTestApp({ config: testConfig({ ingest: { rateLimitPerSecond: 0.5, rateLimitBurst: 2 } }) });
    try {
      assert.equal((await postBatch(t.app, { events: [] })).statusCode, 200);
      assert.equal((await postBatch(t.app, { events: [] })).statusCode, 200);
      const limited = await postBatch(t.app, { events: [exampleEvent('track')] });
      assertError(limited, 429, 'SLUICE_ERR_RATE_LIMITED');
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      const other = await postBatch(t.app, { events: [] }, { authorization: 'Bearer sk_test_coding_ide' });
      assert.equal(other.statusCode, 200);
    } finally {
      await t.close();
      await removeDir(t.dir);
    }
  });
});

describe('storage failures are 503, never a silent 200', () => {
  test('a warehouse that fails its commit gives 503 with Retry-After and stores nothing', async () => {
    let failing = true;
    const t = await createTestApp({
      wrapWarehouse: (w) => ({
        ...w,
        append: (batch) => failing ? w.close().then(() => w.append(batch)) : w.append(batch),
        appendPrepared: (bodies, quarantine) => failing ? w.close().then(() => w.appendPrepared(bodies, quarantine)) : w.appendPrepared(bodies, quarantine),
      }),
    });
    try {
      const response = await postBatch(t.app, { events: [exampleEvent('generation')] });
      assertError(response, 503, 'SLUICE_ERR_STORAGE_UNAVAILABLE');
      assert.ok(Number(response.headers['retry-after']) >= 1);
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(ready.statusCode, 503);
      failing = false;
    } finally {
      await t.close();
      await removeDir(t.dir);
    }
  });

  test('a full write queue refuses with 503 SLUICE_ERR_QUEUE_FULL while earlier requests still succeed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const t = await createTestApp({
      config: testConfig({ groupCommit: { maxQueuedEvents: 3 } }),
      wrapWarehouse: (w) => ({
        ...w,
        append: async (batch) => { await gate; return w.append(batch); },
        appendPrepared: async (bodies, quarantine) => { await gate; return w.appendPrepared(bodies, quarantine); },
      }),
    });
    try {
      const first = postBatch(t.app, { events: [exampleEvent('track'), exampleEvent('track')] });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const refused = await postBatch(t.app, { events: [exampleEvent('track'), exampleEvent('track')] });
      assertError(refused, 503, 'SLUICE_ERR_QUEUE_FULL');
      assert.ok(refused.headers['retry-after']);
      release();
      assert.equal((await first).statusCode, 200);
      assert.equal((await first).json().accepted, 2);
    } finally {
      release();
      await t.close();
      await removeDir(t.dir);
    }
  });
});

describe('write keys map to tenant and source', () => {
  test('tenant and source come from the key, never from the event', async () => {
    const t = await createTestApp();
    try {
      const event = exampleEvent('track', { properties: { tenant: 'evil', source: 'spoofed' } });
      await postBatch(t.app, { events: [event] }, { authorization: `Bearer ${WRITE_KEY}` });
      const response = await t.app.inject({ method: 'GET', url: '/v1/events?limit=1&order=desc', headers: { authorization: 'Bearer admin_test_token' } });
      const [row] = response.json().events as Array<Record<string, unknown>>;
      assert.equal(row!.tenant, 'acme');
      assert.equal(row!.source, 'support-web');
    } finally {
      await t.close();
      await removeDir(t.dir);
    }
  });
});
