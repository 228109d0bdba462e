import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { makeIngestedEvent } from '@sluice/core/testing';
import { createClickHouseWarehouse, RESERVATION_SPAN, type ClickHouseWarehouse } from '@sluice/warehouse-clickhouse';
import { createChdbConnection } from 'chdb/connection';
import { decodeRecord, type KafkaRecord } from '../src/decode-records.ts';
import { createBatchLanding } from '../src/land-batch.ts';
import { silentLog } from '../src/log.ts';
import { createLanderMetrics } from '../src/metrics.ts';
import type { PartitionBatch } from '../src/partition-buffers.ts';
import { findOpenReservations } from '../src/reland-open.ts';
import { createReservedLanding } from '../src/reserved-landing.ts';
import { openSequenceTopic, type SequenceTopic } from '../src/sequence-topic.ts';
import { kafkaBrokers, openEventLog, skipWithoutKafka, uniqueNames } from './lander-test-utils.ts';

/*
 * Re-landing a reservation another lander left open, on a real broker and chDB: the reservation is
 * found on the sequence topic, its messages are read again from the events topic, and it lands with
 * the same numbers and insert token, so a copy the dead lander had stored is dropped.
 */

// chdb types its connection against its own copy of @clickhouse/client-common; see the ClickHouse adapter's chdb-harness.
type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

const DATABASE = 'sluice';
const QUARANTINE = 'unused.quarantine';

describe('landing again the reservations a lander left open (Kafka, chDB)', { skip: skipWithoutKafka, timeout: 120_000 }, () => {
  const names = uniqueNames();
  const sequenceTopic = names.topic.replace('events', 'seq');
  let sequence: SequenceTopic;
  let dir: string;
  let client: ClickHouseClient;
  let warehouse: ClickHouseWarehouse;
  const retry = { initialMs: 10, maxMs: 100 };
  const abandon = new AbortController();

  before(async () => {
    const log = await openEventLog(names, 2);
    // Four sessions, keyed by session over two partitions (the test checks both got some).
    for (let i = 0; i < 4; i++) await log.append({ events: Array.from({ length: 5 }, () => makeIngestedEvent({ sessionId: `s${i}` })), quarantine: [] });
    await log.close();
    sequence = await openSequenceTopic({ brokers: kafkaBrokers, clientId: 'sluice-test', groupId: names.groupId, topic: sequenceTopic, replicationFactor: 1, startupTimeoutMs: 30_000 });
    dir = await mkdtemp(join(tmpdir(), 'sluice-reland-'));
    client = createClient({ connection: createChdbConnection({ path: dir }) as unknown as ClientConnection });
    warehouse = await createClickHouseWarehouse({ client, database: DATABASE });
  });
  after(async () => {
    await sequence.close();
    await warehouse.close();
    await client.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function partitionBatch(partition: number): Promise<PartitionBatch> {
    const messages = await sequence.reader.read(names.topic, partition, 0n, 1_000n);
    const records: KafkaRecord[] = messages.map((m) => ({ topic: m.topic, partition: m.partition, offset: m.offset, timestamp: m.timestamp, value: m.value, headers: m.headers }));
    return { topic: names.topic, partition, records, items: records.flatMap((r) => decodeRecord(r, QUARANTINE)), leaderEpoch: 0 };
  }
  const reservationOf = (batch: PartitionBatch) => ({
    topic: batch.topic, partition: batch.partition, firstOffset: batch.records[0]!.offset, lastOffset: batch.records.at(-1)!.offset, events: batch.items.length,
  });
  const rows = async (): Promise<{ id: string; seq: number }[]> => {
    const result = await client.query({
      query: `SELECT toString(event_id) AS id, ingest_seq AS seq FROM ${DATABASE}.events ORDER BY seq`, format: 'JSONEachRow',
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    });
    return result.json();
  };

  test('a stored but unrecorded reservation is landed again under the same numbers: ClickHouse drops the copy; another partition\'s is left alone', async () => {
    const landNumbered = createBatchLanding({ warehouse, metrics: createLanderMetrics(), log: silentLog, retry, isolateAfterAttempts: 3, abandon: abandon.signal });
    const [p0, p1] = [await partitionBatch(0), await partitionBatch(1)];
    assert.ok(p0.items.length > 0 && p1.items.length > 0, 'both partitions hold events');
    await warehouse.reservations.record([await sequence.reserve(undefined)]);
    // A lander reserved p0's batch and stored it, then died before recording it; it also left padding open.
    const dead = await sequence.reserve(reservationOf(p0));
    await landNumbered(p0, { offset: dead, span: RESERVATION_SPAN });
    const openPadding = await sequence.reserve(undefined);
    // Another lander, still alive, has p1's batch reserved.
    const other = await sequence.reserve(reservationOf(p1));
    const stored = await rows();
    assert.deepEqual(stored.map((r) => r.seq), p0.items.map((_, i) => Number(dead) * RESERVATION_SPAN + i));
    assert.equal(await warehouse.maxIngestSeq(), Number(dead) * RESERVATION_SPAN - 1, 'the open reservation holds the watermark below its rows');

    const open = await findOpenReservations({ sequence, ledger: warehouse.reservations, owns: (_topic, partition) => partition === 0, inFlight: new Set(), quarantineTopic: QUARANTINE });
    assert.deepEqual(open.padding, [openPadding]);
    assert.deepEqual(open.batches.map((b) => b.reservation), [dead]);
    assert.deepEqual(open.batches[0]!.records.map((r) => r.offset), p0.records.map((r) => r.offset), 'the same messages');

    const landReserved = createReservedLanding({
      landBatch: landNumbered, sequence, ledger: warehouse.reservations, log: silentLog, retry, abandon: abandon.signal, inFlight: new Set(),
    });
    await (await landReserved.land(open.batches[0]!)).recorded;
    await warehouse.reservations.record(open.padding);
    assert.deepEqual(await rows(), stored, 'no second copy, the same numbers');
    const state = await warehouse.reservations.state();
    assert.equal(state.lowestUnlanded, other, 'only the live lander\'s reservation is still open');
    assert.equal(await warehouse.maxIngestSeq(), Number(other) * RESERVATION_SPAN - 1);
  });

  test('a reservation whose insert never happened is stored by the lander that lands it again', async () => {
    const landNumbered = createBatchLanding({ warehouse, metrics: createLanderMetrics(), log: silentLog, retry, isolateAfterAttempts: 3, abandon: abandon.signal });
    const before = (await rows()).length;
    const open = await findOpenReservations({ sequence, ledger: warehouse.reservations, owns: () => true, inFlight: new Set(), quarantineTopic: QUARANTINE });
    assert.equal(open.batches.length, 1, 'the partition-1 reservation, now that partition 1 is owned');
    const landReserved = createReservedLanding({
      landBatch: landNumbered, sequence, ledger: warehouse.reservations, log: silentLog, retry, abandon: abandon.signal, inFlight: new Set(),
    });
    await (await landReserved.land(open.batches[0]!)).recorded;
    const after = await rows();
    const reservation = Number(open.batches[0]!.reservation);
    assert.equal(after.length, before + open.batches[0]!.items.length);
    assert.ok(after.slice(before).every((r, i) => r.seq === reservation * RESERVATION_SPAN + i), 'numbered by the reservation it was found under');
    assert.equal((await warehouse.reservations.state()).landedAbove.length, 0);
  });
});
