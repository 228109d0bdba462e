import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { ADMIN_TOKEN, createTestApp, exampleEvent, postBatch, removeDir, storedEvents } from './helpers.ts';

/** The materialiser only runs for readers: what a request staged stays pending until a read. */
const HELD = { materializeIdleMs: 3_600_000, materializeUrgentEvents: Infinity };

describe('POST /v1/batch on the embedded store: staged as received, read back at once', () => {
  test('accepted events are staged from the request body and every read sees them', async () => {
    const t = await createTestApp({ warehouseOptions: HELD });
    try {
      const events = [exampleEvent('generation'), { type: 'generation' }, exampleEvent('feedback')];
      const response = await postBatch(t.app, { events });
      assert.equal(response.statusCode, 200);
      assert.equal(response.json().accepted, 2);
      assert.equal(t.duckdb.materialization().pendingEvents, 2);

      const stored = await storedEvents(t.app);
      assert.equal(t.duckdb.materialization().pendingEvents, 0);
      assert.deepEqual(stored.map((e) => e.event), [events[0], events[2]]);
      const quarantine = await t.app.inject({ method: 'GET', url: '/v1/quarantine?limit=10', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(quarantine.json().quarantine.length, 1);
    } finally {
      await t.close();
      await removeDir(t.dir);
    }
  });

  test('a body with a duplicate "events" key stores what JSON.parse read, never the other array', async () => {
    const t = await createTestApp({ warehouseOptions: HELD });
    try {
      const smuggled = { type: 'generation', not: 'validated' };
      const valid = exampleEvent('generation');
      const body = `{"events":[${JSON.stringify(smuggled)}],"events":[${JSON.stringify(valid)}]}`;
      const response = await postBatch(t.app, body);
      assert.equal(response.statusCode, 200);
      assert.equal(response.json().accepted, 1);
      assert.deepEqual((await storedEvents(t.app)).map((e) => e.event), [valid]);
    } finally {
      await t.close();
      await removeDir(t.dir);
    }
  });

  test('a materialisation backlog past warehouse.maxPendingEvents answers 503 SLUICE_ERR_QUEUE_FULL, and a read drains it', async () => {
    const t = await createTestApp({ warehouseOptions: { ...HELD, maxPendingEvents: 3 } });
    try {
      const batch = () => ({ events: [exampleEvent('generation', { event_id: randomUUID() }), exampleEvent('generation', { event_id: randomUUID() })] });
      assert.equal((await postBatch(t.app, batch())).statusCode, 200);
      const refused = await postBatch(t.app, batch());
      assert.equal(refused.statusCode, 503);
      assert.equal(refused.json().error.code, 'SLUICE_ERR_QUEUE_FULL');
      assert.equal((await storedEvents(t.app)).length, 2);
      assert.equal((await postBatch(t.app, batch())).statusCode, 200);
      assert.equal((await storedEvents(t.app)).length, 4);
    } finally {
      await t.close();
      await removeDir(t.dir);
    }
  });
});
