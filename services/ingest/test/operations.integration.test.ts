import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_TOKEN, createTestApp, exampleEvent, postBatch, removeDir, testConfig, type TestApp } from './helpers.ts';

describe('operations endpoints', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp({ config: testConfig({ ingest: { storeClientIp: true } }) }); });
  after(async () => { await t.close(); await removeDir(t.dir); });

  test('/healthz and /readyz answer while storage is up', async () => {
    assert.deepEqual((await t.app.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
    assert.deepEqual((await t.app.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready' });
  });

  test('/metrics counts events by outcome, type and source, and exposes latency, queue depth and commit sizes', async () => {
    const event = exampleEvent('generation');
    await postBatch(t.app, { events: [event, event, exampleEvent('feedback'), { type: 'generation' }] });
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(text, /sluice_events_total\{outcome="accepted",type="generation",source="support-web"\} 1/);
    assert.match(text, /sluice_events_total\{outcome="accepted",type="feedback",source="support-web"\} 1/);
    assert.match(text, /sluice_events_total\{outcome="duplicate",type="generation",source="support-web"\} 1/);
    assert.match(text, /sluice_events_total\{outcome="rejected",type="generation",source="support-web"\} 1/);
    assert.match(text, /sluice_http_request_duration_seconds_bucket\{le="0.1",method="POST",route="\/v1\/batch",status="200"\} \d+/);
    assert.match(text, /sluice_write_queue_events 0/);
    assert.match(text, /sluice_preparation_waiting_bytes 0/);
    assert.match(text, /sluice_group_commit_events_count [1-9]/);
  });

  test('the client IP is stored only when configured (it is here)', async () => {
    await postBatch(t.app, { events: [exampleEvent('track')] });
    const response = await t.app.inject({ method: 'GET', url: '/v1/events?limit=1&order=desc', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(response.json().events[0].client_ip, '127.0.0.1');
  });

  test('/openapi.json documents the API and embeds the event schemas; /docs serves the UI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> };
    };
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/v1/batch', '/v1/beacon', '/v1/events', '/v1/quarantine', '/healthz', '/readyz', '/metrics']) {
      assert.ok(doc.paths[path], `${path} documented`);
    }
    const schemas = doc.components.schemas;
    for (const name of ['Envelope', 'Generation', 'Feedback', 'Outcome', 'Consent', 'ErasureRequest', 'Track', 'Batch', 'Generation_ChatMessage']) {
      assert.ok(schemas[name], `component ${name}`);
    }
    // Every $ref resolves inside the document.
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    assert.ok(refs.length > 10);
    for (const ref of refs) {
      const target = /#\/components\/schemas\/([^"]+)/.exec(ref)?.[1];
      assert.ok(target && schemas[target], `dangling ${ref}`);
    }
    const ui = await t.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(ui.statusCode, 200);
    assert.match(ui.headers['content-type'] as string, /html/);
  });

  test('/openapi.json also renders with every optional plugin on (snapshot API, console)', async () => {
    const full = await createTestApp({ withBlobStore: true });
    try {
      const response = await full.app.inject({ method: 'GET', url: '/openapi.json' });
      assert.equal(response.statusCode, 200, response.body.slice(0, 300));
      const doc = response.json() as { paths: Record<string, unknown> };
      for (const path of ['/v1/datasets', '/v1/snapshots/{id}', '/v1/admin/overview']) assert.ok(doc.paths[path], `${path} documented`);
    } finally {
      await full.close();
      await removeDir(full.dir);
    }
  });

  test('admin reads need the admin token, not a write key, and validate their query', async () => {
    const noToken = await t.app.inject({ method: 'GET', url: '/v1/events' });
    assert.equal(noToken.statusCode, 401);
    assert.equal(noToken.json().error.code, 'SLUICE_ERR_ADMIN_UNAUTHORIZED');
    const writeKey = await t.app.inject({ method: 'GET', url: '/v1/events', headers: { authorization: 'Bearer sk_test_support_web' } });
    assert.equal(writeKey.statusCode, 401);
    const bad = await t.app.inject({ method: 'GET', url: '/v1/events?limit=0&order=sideways', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'SLUICE_ERR_QUERY_INVALID');
    const unknown = await t.app.inject({ method: 'GET', url: '/v1/quarantine?colour=red', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(unknown.statusCode, 400);
  });
});
