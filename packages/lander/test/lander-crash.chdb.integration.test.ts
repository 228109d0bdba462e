import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import type { EventLog, IngestedEvent } from '@sluice/core';
import { makeIngestedEvent, makeQuarantinedEvent } from '@sluice/core/testing';
import { createClickHouseWarehouse, type ClickHouseWarehouse } from '@sluice/warehouse-clickhouse';
import { createChdbConnection } from 'chdb/connection';
import { createLander, silentLog, type Lander, type LandingWarehouse } from '../src/index.ts';
import {
  committedOffsets, faultyWarehouse, highWatermarks, kafkaBrokers, openEventLog, openTempDuckDb, settled, skipWithoutKafka, uniqueNames, waitFor,
} from './lander-test-utils.ts';

/*
 * The crash window of every at-least-once consumer: the warehouse has the batch, Kafka does not have
 * the commit. Against the real ClickHouse engine (chDB, in-process; one data directory per test
 * process, hence a file of its own) and DuckDB, the replay must not double-count.
 */

// chdb types its connection against its own copy of @clickhouse/client-common; see the ClickHouse adapter's chdb-harness.
type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

let chdbDir: string;
let client: ClickHouseClient;

before(async () => {
  chdbDir = await mkdtemp(join(tmpdir(), 'sluice-lander-chdb-'));
  client = createClient({ connection: createChdbConnection({ path: chdbDir }) as unknown as ClientConnection });
});
after(async () => {
  await client?.close();
  await rm(chdbDir, { recursive: true, force: true });
});

async function openClickHouse(database: string): Promise<ClickHouseWarehouse> {
  return createClickHouseWarehouse({ client, database });
}

/** Rows physically stored (no FINAL: copies a merge has not collapsed yet count) and as read with FINAL. */
async function countRows(database: string, table: 'events' | 'quarantine', final: boolean): Promise<number> {
  const result = await client.query({
    query: `SELECT count() AS n FROM ${database}.${table} ${final ? 'FINAL' : ''}`,
    format: 'JSONEachRow', clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  });
  return (await result.json<{ n: number }>())[0]?.n ?? 0;
}

function landerFor(names: ReturnType<typeof uniqueNames>, warehouse: LandingWarehouse, shutdownTimeoutMs = 30_000): Lander {
  return createLander(
    { brokers: kafkaBrokers, ...names, maxWaitMs: 200, retry: { initialMs: 20, maxMs: 100 }, shutdownTimeoutMs },
    { warehouse, log: silentLog },
  );
}

async function metric(lander: Lander, name: string): Promise<number> {
  return (await lander.registry.getMetricsAsJSON()).find((m) => m.name === name)?.values[0]?.value ?? 0;
}

/** 60 distinct events, 10 of them resent by their client (twice in the topic), and 3 quarantined events. */
async function produce(log: EventLog, withQuarantine: boolean): Promise<IngestedEvent[]> {
  const events = Array.from({ length: 60 }, (_, i) => makeIngestedEvent({ sessionId: `s${i % 4}` }));
  await log.append({ events, quarantine: withQuarantine ? [1, 2, 3].map((n) => makeQuarantinedEvent({ eventId: `q${n}` })) : [] });
  await log.append({ events: events.slice(0, 10), quarantine: [] });
  return events;
}

describe('a crash between the warehouse insert and the offset commit', { skip: skipWithoutKafka, timeout: 120_000 }, () => {
  test('ClickHouse: the retry of the same batch under the same token stores each event and quarantine row once', async () => {
    const names = uniqueNames();
    const log = await openEventLog(names, 2);
    const warehouse = await openClickHouse('lander_retry');
    const tokensSeen = new Set<string>();
    // The first attempt of every batch is stored, then "the connection drops" before the lander hears back.
    const crashing = faultyWarehouse(warehouse, (_, batch) => {
      const key = JSON.stringify([batch.events.map((e) => e.eventId), batch.quarantine.map((q) => q.eventId)]);
      if (tokensSeen.has(key)) return undefined;
      tokensSeen.add(key);
      return 'after';
    });
    const lander = landerFor(names, crashing);
    try {
      await produce(log, true);
      await lander.start();
      await waitFor('everything landed and committed', async () =>
        (await countRows('lander_retry', 'events', true)) === 60 && (await countRows('lander_retry', 'quarantine', false)) === 3 && settled(lander));
      await lander.stop();

      assert.ok(crashing.appends.some((a) => a.failed), 'the fault struck');
      const retried = crashing.appends.filter((a) => a.failed).map((a) => a.token);
      for (const token of retried) assert.ok(crashing.appends.some((a) => !a.failed && a.token === token), `${token} was retried under the same token`);
      assert.equal(await countRows('lander_retry', 'events', false), 60, 'no second copy stored at all, not only hidden by FINAL');
      assert.equal(await countRows('lander_retry', 'quarantine', false), 3, 'quarantine rows: the token dropped the retried insert');
      assert.equal((await warehouse.listEvents({ limit: 1000 })).length, 60);
      assert.ok(await metric(lander, 'sluice_lander_events_duplicate_total') >= 10, 'client resends and retried inserts reported as duplicates');
      assert.deepEqual(await committedOffsets(names.groupId, names.topic, 2), await highWatermarks(names.topic));
    } finally {
      await lander.stop();
      await log.close();
      await warehouse.close();
    }
  });

  test('ClickHouse: a lander that dies after the insert is replayed by the next one of the group, and nothing is double-counted', async () => {
    const names = uniqueNames();
    const log = await openEventLog(names, 1);
    const warehouse = await openClickHouse('lander_replay');
    // The first append is stored and then never answers: the lander is stuck in the crash window.
    const dying = faultyWarehouse(warehouse, (call) => (call === 0 ? 'hang' : undefined));
    const first = landerFor(names, dying, 300);
    try {
      await produce(log, false);
      await first.start();
      await waitFor('the first batch stored', async () => (await countRows('lander_replay', 'events', false)) > 0);
      await first.stop(); // gives up after 300 ms: nothing committed
      assert.deepEqual(await committedOffsets(names.groupId, names.topic, 1), [-1n]);

      const second = landerFor(names, warehouse);
      await second.start();
      await waitFor('the replay committed', async () => (await committedOffsets(names.groupId, names.topic, 1))[0] === (await highWatermarks(names.topic))[0]);
      await second.stop();
      assert.equal(await countRows('lander_replay', 'events', true), 60);
      assert.equal(await countRows('lander_replay', 'events', false), 60);
      assert.ok(await metric(second, 'sluice_lander_events_duplicate_total') >= 10);
    } finally {
      await log.close();
      await warehouse.close();
    }
  });

  test('DuckDB: the retried batches are reported as duplicates and stored once', async () => {
    const names = uniqueNames();
    const log = await openEventLog(names, 2);
    const db = await openTempDuckDb();
    let crashed = 0;
    const crashing = faultyWarehouse(db.warehouse, () => (crashed++ < 2 ? 'after' : undefined));
    const lander = landerFor(names, crashing);
    try {
      await produce(log, false);
      await lander.start();
      await waitFor('everything committed', async () =>
        (await committedOffsets(names.groupId, names.topic, 2)).join() === (await highWatermarks(names.topic)).join());
      await lander.stop();
      assert.equal((await db.warehouse.listEvents({ limit: 1000 })).length, 60);
      const duplicates = await metric(lander, 'sluice_lander_events_duplicate_total');
      // A batch may crash twice in a row: count each batch (token) once.
      const crashedBatches = new Map(crashing.appends.filter((a) => a.failed).map((a) => [a.token, a.events]));
      const failedEvents = [...crashedBatches.values()].reduce((n, e) => n + e, 0);
      assert.ok(duplicates >= failedEvents, `the ${failedEvents} events of the crashed inserts came back as duplicates (${duplicates})`);
    } finally {
      await log.close();
      await db.cleanup();
    }
  });
});
