import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { makeIngestedEvent } from '@sluice/core/testing';
import { createClickHouseWarehouse, type ClickHouseWarehouse } from '@sluice/warehouse-clickhouse';
import { createChdbConnection } from 'chdb/connection';
import { createLander, silentLog, type Lander } from '../src/index.ts';
import { committedOffsets, highWatermarks, kafkaBrokers, openEventLog, skipWithoutKafka, uniqueNames, waitFor } from './lander-test-utils.ts';

/*
 * Two landers of one consumer group on one ClickHouse warehouse, as two `sluice land` processes
 * would run them: each with its own Kafka consumer, its own connection and its own warehouse
 * adapter (which numbers ingest_seq from the maximum stored when it opened). chDB binds one data
 * directory per process, so both run in this process on two chDB connections to one directory;
 * to Kafka and to the table they are two independent writers. Partitions move between them twice
 * while batches are being landed (B joins, A leaves), which changes batch boundaries and so the
 * insert tokens of whatever is read again.
 */

// chdb types its connection against its own copy of @clickhouse/client-common; see the ClickHouse adapter's chdb-harness.
type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

const PARTITIONS = 3;
const DATABASE = 'sluice';
const ROUND_EVENTS = 1000;

describe('two landers of one group on one ClickHouse warehouse (chDB)', { skip: skipWithoutKafka, timeout: 300_000 }, () => {
  test('while partitions move between them, every event is stored once (FINAL, argMax); ingest_seq is not unique across them', async (t) => {
    const names = uniqueNames();
    const log = await openEventLog(names, PARTITIONS);
    const dir = await mkdtemp(join(tmpdir(), 'sluice-lander-group-'));
    const clients: ClickHouseClient[] = [];
    const warehouses: ClickHouseWarehouse[] = [];
    const openWarehouse = async (): Promise<ClickHouseWarehouse> => {
      const client = createClient({ connection: createChdbConnection({ path: dir }) as unknown as ClientConnection });
      clients.push(client);
      const warehouse = await createClickHouseWarehouse({ client, database: DATABASE });
      warehouses.push(warehouse);
      return warehouse;
    };
    const newLander = (warehouse: ClickHouseWarehouse): Lander => createLander(
      { brokers: kafkaBrokers, ...names, maxBatchEvents: 200, maxWaitMs: 100, sessionTimeoutMs: 10_000 },
      { warehouse, log: silentLog },
    );
    const produced: string[] = [];
    const produce = async () => {
      for (let i = 0; i < ROUND_EVENTS; i += 100) {
        const events = Array.from({ length: 100 }, (_, j) => makeIngestedEvent({ sessionId: `s${(produced.length + j) % 41}` }));
        produced.push(...events.map((e) => e.eventId.toLowerCase()));
        await log.append({ events, quarantine: [] });
      }
    };
    const query = async <T>(sql: string): Promise<T[]> => {
      const result = await clients[0]!.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: { output_format_json_quote_64bit_integers: 0 } });
      return result.json<T>();
    };
    const count = async (sql: string): Promise<number> => (await query<{ n: number }>(sql))[0]?.n ?? -1;
    const landed = () => count(`SELECT uniqExact(event_id) AS n FROM ${DATABASE}.events`);

    const a = newLander(await openWarehouse());
    let b: Lander | undefined;
    try {
      await a.start();
      await produce();
      await waitFor('A landed some', async () => (await landed()) > 0);
      b = newLander(await openWarehouse()); // opened now: numbers from what A has stored by then
      await b.start(); // rebalance: A gives up partitions while it is landing
      await produce();
      await waitFor('both own partitions', () => a.status().partitions.length > 0 && b!.status().partitions.length > 0);
      await produce();
      await a.stop(); // rebalance: B takes everything
      await produce();
      await waitFor('every offset committed', async () =>
        (await committedOffsets(names.groupId, names.topic, PARTITIONS)).join() === (await highWatermarks(names.topic)).join(), 120_000);
      await b.stop();

      const total = produced.length;
      assert.equal(await count(`SELECT count() AS n FROM ${DATABASE}.events FINAL`), total, 'count() FINAL: each event once');
      // Without FINAL: per event key, the copy ReplacingMergeTree keeps (highest keep_first).
      const kept = await query<{ id: string; seq: number }>(`SELECT toString(event_id) AS id, argMax(ingest_seq, keep_first) AS seq
        FROM ${DATABASE}.events GROUP BY tenant, source, event_id`);
      assert.equal(kept.length, total, 'one row per event key (argMax)');
      assert.deepEqual(new Set(kept.map((r) => r.id)), new Set(produced), 'exactly the produced events');

      const copies = (await count(`SELECT count() AS n FROM ${DATABASE}.events`)) - total;
      const sharedSeqs = total - new Set(kept.map((r) => r.seq)).size;
      t.diagnostic(`${total} events: ${copies} extra copies stored before merges (hidden by FINAL); `
        + `${sharedSeqs} events share their ingest_seq with another event (two adapters numbering on their own)`);
    } finally {
      await b?.stop();
      await a.stop();
      await log.close();
      for (const warehouse of warehouses) await warehouse.close();
      for (const client of clients) await client.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
