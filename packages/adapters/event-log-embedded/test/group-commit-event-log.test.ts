import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SluiceError, type AppendBatch, type AppendOutcome } from '@sluice/core';
import { makeIngestedEvent, makeQuarantinedEvent } from '@sluice/core/testing';
import { createGroupCommitEventLog } from '../src/index.ts';

/** A warehouse whose commits finish only when the test says so, to observe grouping. */
function controllableWarehouse() {
  const calls: Array<{ batch: AppendBatch; finish: (error?: Error) => void }> = [];
  const seen = new Set<string>();
  return {
    calls,
    append(batch: AppendBatch): Promise<AppendOutcome> {
      return new Promise((resolve, reject) => {
        calls.push({
          batch,
          finish: (error) => {
            if (error) return reject(error);
            resolve({ duplicate: batch.events.map((e) => (seen.has(e.eventId) ? true : (seen.add(e.eventId), false))) });
          },
        });
      });
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('requests arriving during a commit share the next one, and each gets its own outcome', async () => {
  const warehouse = controllableWarehouse();
  const log = createGroupCommitEventLog(warehouse, { maxBatchEvents: 1000, maxQueuedEvents: 10_000 });
  const dup = makeIngestedEvent();
  const first = log.append({ events: [dup], quarantine: [] });
  const second = log.append({ events: [makeIngestedEvent(), { ...dup }], quarantine: [] });
  const third = log.append({ events: [makeIngestedEvent()], quarantine: [makeQuarantinedEvent()] });
  assert.equal(warehouse.calls.length, 1, 'the first request commits at once');
  assert.equal(log.queuedEvents(), 5, 'in-flight and waiting events, quarantined ones included');
  warehouse.calls[0]!.finish();
  assert.deepEqual(await first, { duplicate: [false] });
  await tick();
  assert.equal(warehouse.calls.length, 2, 'the two waiting requests share one commit');
  assert.equal(warehouse.calls[1]!.batch.events.length, 3);
  assert.equal(warehouse.calls[1]!.batch.quarantine.length, 1);
  warehouse.calls[1]!.finish();
  assert.deepEqual(await second, { duplicate: [false, true] });
  assert.deepEqual(await third, { duplicate: [false] });
  assert.equal(log.queuedEvents(), 0);
});

test('a failed commit rejects exactly the requests it held; later ones still commit', async () => {
  const warehouse = controllableWarehouse();
  const log = createGroupCommitEventLog(warehouse, { maxBatchEvents: 1000, maxQueuedEvents: 10_000 });
  const a = log.append({ events: [makeIngestedEvent()], quarantine: [] });
  const b = log.append({ events: [makeIngestedEvent()], quarantine: [] });
  warehouse.calls[0]!.finish(new Error('disk full'));
  await assert.rejects(a, (e: unknown) => e instanceof SluiceError && e.code === 'SLUICE_ERR_STORAGE_UNAVAILABLE' && e.retryable);
  await tick();
  warehouse.calls[1]!.finish();
  assert.deepEqual(await b, { duplicate: [false] });
});

test('a group never exceeds maxBatchEvents unless one request alone does', async () => {
  const warehouse = controllableWarehouse();
  const log = createGroupCommitEventLog(warehouse, { maxBatchEvents: 3, maxQueuedEvents: 10_000 });
  const events = (n: number) => Array.from({ length: n }, () => makeIngestedEvent());
  const all = [log.append({ events: events(1), quarantine: [] }), log.append({ events: events(2), quarantine: [] }),
    log.append({ events: events(2), quarantine: [] }), log.append({ events: events(5), quarantine: [] })];
  for (let i = 0; i < 4; i++) {
    while (warehouse.calls.length <= i) await tick();
    warehouse.calls[i]!.finish();
  }
  await Promise.all(all);
  assert.deepEqual(warehouse.calls.map((c) => c.batch.events.length), [1, 2, 2, 5]);
});

test('over maxQueuedEvents the log refuses with SLUICE_ERR_QUEUE_FULL instead of buffering without bound', async () => {
  const warehouse = controllableWarehouse();
  const log = createGroupCommitEventLog(warehouse, { maxBatchEvents: 100, maxQueuedEvents: 3 });
  const a = log.append({ events: [makeIngestedEvent(), makeIngestedEvent()], quarantine: [] });
  await assert.rejects(log.append({ events: [makeIngestedEvent(), makeIngestedEvent()], quarantine: [] }),
    (e: unknown) => e instanceof SluiceError && e.code === 'SLUICE_ERR_QUEUE_FULL' && e.status === 503);
  warehouse.calls[0]!.finish();
  await a;
  assert.equal(log.queuedEvents(), 0);
});

test('close flushes what is queued, then refuses new work with SLUICE_ERR_SHUTTING_DOWN', async () => {
  const warehouse = controllableWarehouse();
  const log = createGroupCommitEventLog(warehouse, { maxBatchEvents: 100, maxQueuedEvents: 100 });
  const a = log.append({ events: [makeIngestedEvent()], quarantine: [] });
  const b = log.append({ events: [makeIngestedEvent()], quarantine: [] });
  const closed = log.close();
  await assert.rejects(log.append({ events: [makeIngestedEvent()], quarantine: [] }), (e: unknown) => e instanceof SluiceError && e.code === 'SLUICE_ERR_SHUTTING_DOWN');
  warehouse.calls[0]!.finish();
  while (warehouse.calls.length < 2) await tick();
  warehouse.calls[1]!.finish();
  await closed;
  await Promise.all([a, b]);
});
