import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ADMIN_TOKEN, OTHER_WRITE_KEY, createTestApp, exampleEvent, postBatch, removeDir, storedEvents, type TestApp } from './helpers.ts';

describe('POST /v1/batch on the embedded DuckDB store', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp(); });
  after(async () => { await t.close(); await removeDir(t.dir); });

  test('valid events of every type are stored and answered as accepted', async () => {
    const events = ['generation', 'feedback', 'outcome', 'consent', 'erasure_request', 'track'].map((type) => exampleEvent(type));
    const response = await postBatch(t.app, { events });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { accepted: 6, duplicates: 0, rejected: [] });
    const stored = await storedEvents(t.app, 'limit=10&order=desc');
    for (const event of events) {
      const row = stored.find((s) => s.event_id === event.event_id);
      assert.ok(row, `event ${event.type} stored`);
      assert.deepEqual(row.event, event, 'payload kept exactly as sent');
      assert.equal(row.type, event.type);
      assert.equal(row.tenant, 'acme');
      assert.equal(row.source, 'support-web');
    }
  });

  test('one bad event never rejects the batch: it is reported with index, pointer and code, and quarantined raw', async () => {
    const good = exampleEvent('generation');
    const missingModel = exampleEvent('generation');
    delete missingModel.model;
    const badDate = exampleEvent('feedback', { occurred_at: 'yesterday' });
    const response = await postBatch(t.app, { events: [good, missingModel, 42, badDate, { type: 'nope', event_id: 'x' }] });
    assert.equal(response.statusCode, 200);
    const body = response.json() as { accepted: number; rejected: Array<Record<string, unknown>> };
    assert.equal(body.accepted, 1);
    assert.deepEqual(body.rejected.map((r) => [r.index, r.code, r.pointer]), [
      [1, 'SLUICE_ERR_EVENT_INVALID', '/model'],
      [2, 'SLUICE_ERR_EVENT_NOT_OBJECT', ''],
      [3, 'SLUICE_ERR_EVENT_INVALID', '/occurred_at'],
      [4, 'SLUICE_ERR_EVENT_TYPE_UNKNOWN', '/type'],
    ]);
    assert.equal(body.rejected[0]!.event_id, missingModel.event_id);
    assert.equal(body.rejected[1]!.event_id, undefined);
    for (const r of body.rejected) assert.equal(typeof r.message, 'string');

    const quarantine = await t.app.inject({ method: 'GET', url: '/v1/quarantine?limit=100', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const rows = (quarantine.json() as { quarantine: Array<Record<string, unknown>> }).quarantine;
    const modelRow = rows.find((r) => r.event_id === missingModel.event_id);
    assert.ok(modelRow);
    assert.equal(modelRow.code, 'SLUICE_ERR_EVENT_INVALID');
    assert.equal(modelRow.pointer, '/model');
    assert.deepEqual(modelRow.payload, missingModel);
    assert.equal(modelRow.source, 'support-web');
    assert.ok(rows.some((r) => r.payload === 42 && r.code === 'SLUICE_ERR_EVENT_NOT_OBJECT'));
  });

  test('a repeated event_id is a duplicate, stored once, within a request and across requests', async () => {
    const event = exampleEvent('outcome');
    const first = await postBatch(t.app, { events: [event, { ...event }] });
    assert.deepEqual(first.json(), { accepted: 1, duplicates: 1, rejected: [] });
    const retry = await postBatch(t.app, { events: [{ ...event, event_id: (event.event_id as string).toUpperCase() }, exampleEvent('track')] });
    assert.deepEqual(retry.json(), { accepted: 1, duplicates: 1, rejected: [] });
    const stored = await storedEvents(t.app, `limit=1000&type=outcome`);
    assert.equal(stored.filter((s) => s.event_id === event.event_id).length, 1);
  });

  test('the same event_id from another source is its own event', async () => {
    const event = exampleEvent('track');
    await postBatch(t.app, { events: [event] });
    const other = await postBatch(t.app, { events: [event] }, { authorization: `Bearer ${OTHER_WRITE_KEY}` });
    assert.deepEqual(other.json(), { accepted: 1, duplicates: 0, rejected: [] });
  });

  test('gzip bodies are accepted', async () => {
    const event = exampleEvent('generation');
    const response = await postBatch(t.app, gzipSync(JSON.stringify({ events: [event] })), { 'content-encoding': 'gzip' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().accepted, 1);
  });

  test('POST /v1/beacon takes the write key in the query and a text/plain body', async () => {
    const event = exampleEvent('feedback');
    const response = await t.app.inject({
      method: 'POST', url: '/v1/beacon?key=sk_test_support_web', headers: { 'content-type': 'text/plain;charset=UTF-8' },
      payload: JSON.stringify({ events: [event] }),
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().accepted, 1);
    const unauthorized = await t.app.inject({ method: 'POST', url: '/v1/beacon', headers: { 'content-type': 'text/plain' }, payload: '{"events":[]}' });
    assert.equal(unauthorized.statusCode, 401);
    assert.equal(unauthorized.json().error.code, 'SLUICE_ERR_UNAUTHORIZED');
  });

  test('an empty batch is fine and stores nothing', async () => {
    const response = await postBatch(t.app, { events: [] });
    assert.deepEqual(response.json(), { accepted: 0, duplicates: 0, rejected: [] });
  });
});
