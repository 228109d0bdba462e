import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { makeIngestedEvent, makeQuarantinedEvent } from '@sluice/core/testing';
import { eventMessage, INGESTED_EVENT_SCHEMA, SCHEMA_HEADER } from '@sluice/event-log-kafka';
import { createLander, silentLog, type Lander, type LanderOptions, type LandingWarehouse } from '../src/index.ts';
import {
  committedOffsets, faultyWarehouse, highWatermarks, kafkaBrokers, openEventLog, openTempDuckDb, produceRaw, settled,
  skipWithoutKafka, uniqueNames, waitFor,
} from './lander-test-utils.ts';

function landerFor(names: ReturnType<typeof uniqueNames>, warehouse: LandingWarehouse, overrides: Partial<LanderOptions> = {}): Lander {
  return createLander(
    { brokers: kafkaBrokers, ...names, maxWaitMs: 100, lagIntervalMs: 100, retry: { initialMs: 50, maxMs: 400 }, ...overrides },
    { warehouse, log: silentLog },
  );
}

async function metric(lander: Lander, name: string, labels: Record<string, string> = {}): Promise<number> {
  const found = (await lander.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return found?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
}

describe('the lander against a real Kafka broker and DuckDB', { skip: skipWithoutKafka, timeout: 120_000 }, () => {
  test('events and quarantined events land exactly once, and a new lander of the group resumes after the committed offsets', async () => {
    const names = uniqueNames();
    const log = await openEventLog(names, 3);
    const db = await openTempDuckDb();
    try {
      const events = Array.from({ length: 300 }, (_, i) => makeIngestedEvent({ sessionId: `sess_${i % 17}` }));
      const quarantined = [makeQuarantinedEvent({ eventId: 'q-1' }), makeQuarantinedEvent({ eventId: null, payload: 42 })];
      await log.append({ events: events.slice(0, 150), quarantine: quarantined });
      await log.append({ events: events.slice(150), quarantine: [] });

      const first = landerFor(names, db.warehouse, { maxBatchEvents: 64 });
      await first.start();
      await waitFor('300 events and 2 quarantine rows', async () =>
        (await db.warehouse.listEvents({ limit: 1000 })).length === 300 && (await db.warehouse.listQuarantine({ limit: 10 })).length === 2);
      await waitFor('every landed offset committed', () => settled(first));
      await first.stop();

      const stored = await db.warehouse.listEvents({ limit: 1000 });
      assert.deepEqual(stored.map((e) => e.eventId).sort(), events.map((e) => e.eventId).sort(), 'each event once');
      assert.deepEqual((await db.warehouse.listQuarantine({ limit: 10 })).map((q) => q.eventId).sort(), [null, 'q-1'].sort());
      assert.deepEqual(await committedOffsets(names.groupId, names.topic, 3), await highWatermarks(names.topic));
      // An empty partition has nothing to commit: -1 (none) stands for its high watermark 0.
      const quarantineCommitted = (await committedOffsets(names.groupId, names.quarantineTopic, 3)).map((o) => (o < 0n ? 0n : o));
      assert.deepEqual(quarantineCommitted, await highWatermarks(names.quarantineTopic));
      assert.equal(await metric(first, 'sluice_lander_events_landed_total'), 300);
      assert.equal(await metric(first, 'sluice_lander_quarantine_landed_total', { origin: 'topic' }), 2);

      // A second lander of the same group: only what was produced after the commit reaches it.
      const seen = faultyWarehouse(db.warehouse, () => undefined);
      const second = landerFor(names, seen);
      await second.start();
      const later = Array.from({ length: 10 }, () => makeIngestedEvent());
      await log.append({ events: later, quarantine: [] });
      await waitFor('the 10 new events', async () => (await db.warehouse.listEvents({ limit: 1000 })).length === 310);
      await second.stop();
      assert.equal(seen.appends.reduce((n, a) => n + a.events, 0), 10, 'nothing already committed was read again');
      assert.equal(await metric(second, 'sluice_lander_events_duplicate_total'), 0);
    } finally {
      await log.close();
      await db.cleanup();
    }
  });

  test('poison messages become quarantine rows and their partition keeps landing', async () => {
    const names = uniqueNames();
    const log = await openEventLog(names, 1);
    const db = await openTempDuckDb();
    const lander = landerFor(names, db.warehouse);
    try {
      const before = makeIngestedEvent();
      await log.append({ events: [before], quarantine: [] });
      const wrongShape = JSON.stringify({ eventId: 'nope', tenant: 'acme' });
      await produceRaw([
        { topic: names.topic, value: '\u0001\u0002 not json at all' },
        { topic: names.topic, value: wrongShape, headers: { [SCHEMA_HEADER]: INGESTED_EVENT_SCHEMA } },
        { topic: names.quarantineTopic, value: '{"truncated":' },
      ]);
      const after = Array.from({ length: 5 }, () => makeIngestedEvent());
      await log.append({ events: after, quarantine: [] });

      await lander.start();
      await waitFor('6 events and 3 quarantine rows', async () =>
        (await db.warehouse.listEvents({ limit: 100 })).length === 6 && (await db.warehouse.listQuarantine({ limit: 10 })).length === 3);
      await waitFor('offsets committed', () => settled(lander));

      const rows = await db.warehouse.listQuarantine({ limit: 10 });
      const garbage = rows.find((r) => r.payload === '\u0001\u0002 not json at all');
      assert.equal(garbage?.code, 'SLUICE_ERR_EVENT_INVALID');
      assert.match(garbage?.message ?? '', new RegExp(`^undecodable Kafka message at ${names.topic.replaceAll('.', '\\.')}-0@1: `));
      const shaped = rows.find((r) => r.payload === wrongShape);
      assert.deepEqual([shaped?.tenant, shaped?.eventId, shaped?.pointer], ['acme', 'nope', '/eventId']);
      assert.ok(rows.some((r) => r.payload === '{"truncated":' && /@0: /.test(r.message)), 'poison on the quarantine topic too');
      assert.deepEqual(await committedOffsets(names.groupId, names.topic, 1), await highWatermarks(names.topic));
      assert.equal(await metric(lander, 'sluice_lander_quarantine_landed_total', { origin: 'poison' }), 3);
    } finally {
      await lander.stop();
      await log.close();
      await db.cleanup();
    }
  });

  test('while the warehouse is down the lander retries the same batch with backoff, commits nothing and reports lag', async () => {
    const names = uniqueNames();
    const log = await openEventLog(names, 1);
    const db = await openTempDuckDb();
    let outage = true;
    const warehouse = faultyWarehouse(db.warehouse, () => (outage ? 'before' : undefined));
    warehouse.down = true;
    const lander = landerFor(names, warehouse);
    try {
      // A session each: 50 messages, so lag counts them one by one.
      const events = Array.from({ length: 50 }, (_, i) => makeIngestedEvent({ sessionId: `s${i}` }));
      await log.append({ events, quarantine: [] });
      await lander.start();
      await waitFor('four failed attempts', () => warehouse.appends.length >= 4);
      await waitFor('lag reported', () => lander.lag()[`${names.topic}:0`] === 50);
      assert.deepEqual(await committedOffsets(names.groupId, names.topic, 1), [-1n], 'nothing committed during the outage');
      assert.equal((await db.warehouse.listEvents({ limit: 100 })).length, 0);

      outage = false;
      warehouse.down = false;
      await waitFor('the batch landed', async () => (await db.warehouse.listEvents({ limit: 100 })).length === 50);
      await waitFor('lag back to zero', () => lander.lag()[`${names.topic}:0`] === 0);
      assert.deepEqual(await committedOffsets(names.groupId, names.topic, 1), [50n]);
      assert.equal(new Set(warehouse.appends.map((a) => a.token)).size, 1, 'every attempt was the same batch, under one token');
      const failed = warehouse.appends.filter((a) => a.failed).length;
      assert.ok(failed >= 4);
      assert.equal(await metric(lander, 'sluice_lander_retries_total'), failed, 'one retry after each failure');
      assert.equal(warehouse.appends.length, failed + 1, 'landed at the first attempt after the outage');
      const lagText = await lander.registry.getSingleMetricAsString('sluice_lander_consumer_lag');
      assert.match(lagText, new RegExp(`sluice_lander_consumer_lag\\{topic="${names.topic.replaceAll('.', '\\.')}",partition="0"\\} 0`));
    } finally {
      await lander.stop();
      await log.close();
      await db.cleanup();
    }
  });

  test('graceful stop lands and commits the messages in hand', async () => {
    const names = uniqueNames();
    const log = await openEventLog(names, 2);
    const db = await openTempDuckDb();
    // Batches would wait a minute: only the stop can land them in time.
    const lander = landerFor(names, db.warehouse, { maxWaitMs: 60_000 });
    try {
      const events = Array.from({ length: 40 }, (_, i) => makeIngestedEvent({ sessionId: `s${i % 5}` }));
      await log.append({ events, quarantine: [] });
      await lander.start();
      // 5 sessions: 5 messages of 8 events each.
      await waitFor('all 40 in hand', () => lander.status().messagesInHand === 5);
      await sleep(200);
      assert.equal((await db.warehouse.listEvents({ limit: 100 })).length, 0, 'not landed before the stop');
      await lander.stop();
      assert.equal((await db.warehouse.listEvents({ limit: 100 })).length, 40);
      assert.deepEqual(await committedOffsets(names.groupId, names.topic, 2), await highWatermarks(names.topic));
    } finally {
      await lander.stop();
      await log.close();
      await db.cleanup();
    }
  });

  test('a backlog, produced longer than maxWaitMs ago, lands as soon as it is read; fresh messages wait for their batch', async () => {
    const names = uniqueNames();
    const log = await openEventLog(names, 1);
    const db = await openTempDuckDb();
    // Batches would wait two minutes: only the backlog rule (or the stop) can land them in time.
    const lander = landerFor(names, db.warehouse, { maxWaitMs: 120_000 });
    try {
      const old = Array.from({ length: 5 }, () => makeIngestedEvent());
      const tenMinutesAgo = BigInt(Date.now() - 600_000);
      await produceRaw(old.map((event) => ({ ...eventMessage(names.topic, event), timestamp: tenMinutesAgo })));
      await lander.start();
      await waitFor('the 5 old events landed', async () => (await db.warehouse.listEvents({ limit: 100 })).length === 5, 60_000);
      await waitFor('their offsets committed', () => settled(lander));

      await log.append({ events: [makeIngestedEvent()], quarantine: [] });
      await waitFor('the fresh event in hand', () => lander.status().messagesInHand === 1);
      await sleep(300);
      assert.equal((await db.warehouse.listEvents({ limit: 100 })).length, 5, 'the fresh event waits for a fuller batch');
      await lander.stop();
      assert.equal((await db.warehouse.listEvents({ limit: 100 })).length, 6);
    } finally {
      await lander.stop();
      await log.close();
      await db.cleanup();
    }
  });

  test('a message the warehouse refuses while it answers is isolated into quarantine without blocking the partition', async () => {
    const names = uniqueNames();
    const log = await openEventLog(names, 1);
    const db = await openTempDuckDb();
    const events = Array.from({ length: 20 }, () => makeIngestedEvent());
    const refused = events[13]!.eventId;
    const warehouse = faultyWarehouse(db.warehouse, (_, batch) => (batch.events.some((e) => e.eventId === refused) ? 'before' : undefined));
    const lander = landerFor(names, warehouse, { retry: { initialMs: 10, maxMs: 50 } });
    try {
      await log.append({ events, quarantine: [] });
      await lander.start();
      await waitFor('19 events and the refused one in quarantine', async () =>
        (await db.warehouse.listEvents({ limit: 100 })).length === 19 && (await db.warehouse.listQuarantine({ limit: 10 })).length === 1);
      const [row] = await db.warehouse.listQuarantine({ limit: 10 });
      assert.equal(row?.eventId, refused);
      // One session: one message of 20 lines, the 14th refused.
      assert.match(row?.message ?? '', /the warehouse refused the Kafka message at .*-0@0\/13: injected/);
      await waitFor('offsets committed', () => settled(lander));
      assert.deepEqual(await committedOffsets(names.groupId, names.topic, 1), [1n]);
    } finally {
      await lander.stop();
      await log.close();
      await db.cleanup();
    }
  });
});

// Needs no broker, so it runs everywhere.
test('an unreachable broker fails start with SLUICE_ERR_STORAGE_UNAVAILABLE naming the brokers', async () => {
  const db = await openTempDuckDb();
  try {
    const lander = createLander({ brokers: ['127.0.0.1:1'], startupTimeoutMs: 1000 }, { warehouse: db.warehouse, log: silentLog });
    await assert.rejects(lander.start(), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'SLUICE_ERR_STORAGE_UNAVAILABLE');
      assert.match(error.message, /127\.0\.0\.1:1/);
      return true;
    });
  } finally {
    await db.cleanup();
  }
});
