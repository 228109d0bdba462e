import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { makeIngestedEvent } from '@sluice/core/testing';
import { createClickHouseWarehouse, RESERVATION_SPAN } from '@sluice/warehouse-clickhouse';
import { createChdbConnection } from 'chdb/connection';
import { createLander, silentLog } from '../src/index.ts';
import { openSequenceTopic } from '../src/sequence-topic.ts';
import { committedOffsets, highWatermarks, kafkaBrokers, openEventLog, skipWithoutKafka, uniqueNames, waitFor } from './lander-test-utils.ts';

/*
 * A reservation that appears after the scan of the lander owning its partition (its writer died
 * right after reserving, having lost the partition): nothing rebalances, yet the lander notices the
 * watermark not moving and lands it again. Real broker, chDB.
 */

// chdb types its connection against its own copy of @clickhouse/client-common; see the ClickHouse adapter's chdb-harness.
type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

describe('a reservation left open behind a running lander (Kafka, chDB)', { skip: skipWithoutKafka, timeout: 120_000 }, () => {
  test('is landed again once the watermark stops moving, without a rebalance', async () => {
    const names = uniqueNames();
    const sequenceTopic = names.topic.replace('events', 'seq');
    const log = await openEventLog(names, 1);
    const dir = await mkdtemp(join(tmpdir(), 'sluice-lander-stall-'));
    const client = createClient({ connection: createChdbConnection({ path: dir }) as unknown as ClientConnection });
    const warehouse = await createClickHouseWarehouse({ client, database: 'sluice' });
    const lander = createLander({ brokers: kafkaBrokers, ...names, sequenceTopic, maxWaitMs: 100, stallCheckMs: 300 }, { warehouse, log: silentLog });
    const sequence = await openSequenceTopic({ brokers: kafkaBrokers, clientId: 'sluice-test', groupId: names.groupId, topic: sequenceTopic, replicationFactor: 1, startupTimeoutMs: 30_000 });
    try {
      await log.append({ events: Array.from({ length: 20 }, () => makeIngestedEvent({ sessionId: 's' })), quarantine: [] });
      await lander.start();
      const allCommitted = async () => (await committedOffsets(names.groupId, names.topic, 1)).join() === (await highWatermarks(names.topic)).join();
      await waitFor('the first events landed and committed', allCommitted);
      const end = (await highWatermarks(names.topic))[0]!;

      // The dead lander's reservation: the same messages, reserved and never landed.
      const stray = await sequence.reserve({ topic: names.topic, partition: 0, firstOffset: 0n, lastOffset: end - 1n, events: 20 });
      const open = async () => (await warehouse.reservations.state()).lowestUnlanded <= stray;
      assert.equal(await open(), true, 'it holds the watermark');
      assert.ok((await warehouse.maxIngestSeq()) < Number(stray) * RESERVATION_SPAN);

      await waitFor('the lander lands it again and records it', async () => !(await open()), 30_000);
      assert.ok((await warehouse.maxIngestSeq()) >= Number(stray) * RESERVATION_SPAN, 'the watermark moves past it');
      const [row] = await (await client.query({ query: 'SELECT count() AS n FROM sluice.events FINAL', format: 'JSONEachRow' })).json<{ n: string }>();
      assert.equal(Number(row?.n), 20, 'still each event once');
    } finally {
      await lander.stop();
      await sequence.close();
      await log.close();
      await warehouse.close();
      await client.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
