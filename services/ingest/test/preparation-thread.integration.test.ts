import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { startPreparationThread } from '../src/prepare/preparation-thread.ts';
import { ADMIN_TOKEN, createTestApp, exampleEvent, postBatch, removeDir, storedEvents, testConfig } from './helpers.ts';

/** Everything a client and an operator can see of a few requests: answers, stored events, quarantine. */
async function observe(preparationThread: boolean): Promise<unknown[]> {
  const t = await createTestApp({ config: testConfig({ ingest: { preparationThread } }) });
  try {
    const seen: unknown[] = [];
    const ids = Array.from({ length: 4 }, (_, i) => `0193a3e0-5b7c-7d41-9a1e-2f3c4d5e6f7${i}`);
    const requests: Array<{ body: string | Buffer; headers?: Record<string, string> }> = [
      { body: JSON.stringify({ sent_at: '2026-11-29T10:00:05Z', events: [
        exampleEvent('generation', { event_id: ids[0], occurred_at: '2026-11-29T10:00:00Z' }), { type: 'generation' }, 7,
        exampleEvent('track', { event_id: ids[1], properties: { note: 'é ✓ "quoted" \u2028' } }), exampleEvent('track', { event_id: ids[0] }),
      ] }) },
      // Sent again: duplicates only.
      { body: JSON.stringify({ events: [exampleEvent('generation', { event_id: ids[0] })] }) },
      // gzip, and a body with two "events" keys (JSON.parse keeps the last).
      { body: gzipSync(JSON.stringify({ events: [exampleEvent('outcome', { event_id: ids[2] })] })), headers: { 'content-encoding': 'gzip' } },
      { body: `{"events":[{"type":"generation"}],"events":[${JSON.stringify(exampleEvent('track', { event_id: ids[3] }))}]}` },
      { body: '{"events":[1,}' },
      { body: JSON.stringify({ events: {} }) },
      { body: JSON.stringify({ events: [], sent_at: 'yesterday' }) },
    ];
    for (const { body, headers } of requests) {
      const response = await postBatch(t.app, body, headers);
      seen.push([response.statusCode, response.json()]);
    }
    seen.push((await storedEvents(t.app)).map(({ received_at: _r, timestamp: _t, ...rest }) => rest));
    const quarantine = await t.app.inject({ method: 'GET', url: '/v1/quarantine?limit=10', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    seen.push((quarantine.json() as { quarantine: Array<Record<string, unknown>> }).quarantine.map(({ received_at: _r, ...rest }) => rest));
    return seen;
  } finally {
    await t.close();
    await removeDir(t.dir);
  }
}

describe('the preparation thread (docs/decisions/0020)', () => {
  test('answers, stores and quarantines exactly what the ingest thread does on its own', async () => {
    const onThread = await observe(true);
    const inline = await observe(false);
    assert.deepEqual(onThread, inline);
    // And the requests did what they should, so the comparison is not of two empty results.
    assert.deepEqual(onThread.slice(0, 4).map((r) => (r as [number, { accepted: number; duplicates: number }])[1].accepted), [2, 0, 1, 1]);
    assert.deepEqual(onThread.slice(4, 7).map((r) => (r as [number])[0]), [400, 400, 400]);
    assert.equal((onThread[7] as unknown[]).length, 4);
    assert.equal((onThread[8] as unknown[]).length, 2);
  });

  test('a thread that dies fails its request with 500 SLUICE_ERR_INTERNAL and is replaced for the next', async () => {
    const thread = await startPreparationThread({ maxEventsPerBatch: 1000, maxFutureSkewMs: 60_000, maxWaitingBytes: 2 ** 20 },
      new URL('./fixtures/crashing-prepare-worker.ts', import.meta.url));
    try {
      const context = { tenant: 't', source: 's', receivedAt: Date.now(), clientIp: null };
      await assert.rejects(thread.prepare(Buffer.from('crash'), context), { code: 'SLUICE_ERR_INTERNAL', status: 500 });
      const prepared = await thread.prepare(Buffer.from(JSON.stringify({ events: [exampleEvent('track')] })), context);
      assert.equal(prepared.body?.count, 1);
      await assert.rejects(thread.prepare(Buffer.from('{"events": nope}'), context), { code: 'SLUICE_ERR_MALFORMED_JSON' });
    } finally {
      await thread.close();
    }
  });

  test('bodies waiting for the thread beyond maxWaitingBytes are refused with 503 SLUICE_ERR_QUEUE_FULL; once it catches up they are taken again', async () => {
    const thread = await startPreparationThread({ maxEventsPerBatch: 1000, maxFutureSkewMs: 60_000, maxWaitingBytes: 64 * 1024 },
      new URL('./fixtures/crashing-prepare-worker.ts', import.meta.url));
    try {
      const context = { tenant: 't', source: 's', receivedAt: Date.now(), clientIp: null };
      const body = () => Buffer.from(JSON.stringify({ events: [exampleEvent('track', { properties: { pad: 'x'.repeat(40_000) } })] }));
      const stalled = thread.prepare(Buffer.from('stall'), context).catch((error: unknown) => error);
      const first = thread.prepare(body(), context);
      const waiting = thread.waitingBytes();
      assert.ok(waiting > 40_000, `${waiting} bytes waiting`);
      await assert.rejects(thread.prepare(body(), context), { code: 'SLUICE_ERR_QUEUE_FULL', status: 503 });
      assert.equal(thread.waitingBytes(), waiting, 'a refused body is not counted');
      assert.equal((await first).body?.count, 1);
      await stalled;
      assert.equal((await thread.prepare(body(), context)).body?.count, 1);
      assert.equal(thread.waitingBytes(), 0);
    } finally {
      await thread.close();
    }
  });
});
