import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppendBatch } from '@sluice/core';
import { makeIngestedEvent } from '@sluice/core/testing';
import { eventLineMessages, INGESTED_EVENT_LINES_SCHEMA, INGESTED_EVENT_SCHEMA, SCHEMA_HEADER } from '@sluice/event-log-kafka';
import { decodeRecord, type KafkaRecord } from '../src/decode-records.ts';
import { createBatchLanding, dedupTokenOf, dedupTokenOfItems, LandingAbandoned } from '../src/land-batch.ts';
import { silentLog } from '../src/log.ts';
import { createLanderMetrics } from '../src/metrics.ts';
import type { PartitionBatch } from '../src/partition-buffers.ts';

const TOPIC = 'sluice.events.v1';

function batchOf(count: number, firstOffset = 100): { batch: PartitionBatch; ids: string[] } {
  const events = Array.from({ length: count }, () => makeIngestedEvent());
  const records: KafkaRecord[] = events.map((event, i) => ({
    topic: TOPIC, partition: 3, offset: BigInt(firstOffset + i), timestamp: 0n, value: JSON.stringify(event),
    headers: new Map([[SCHEMA_HEADER, INGESTED_EVENT_SCHEMA]]),
  }));
  return { batch: batchOfRecords(records), ids: events.map((e) => e.eventId) };
}

function batchOfRecords(records: KafkaRecord[]): PartitionBatch {
  return { topic: TOPIC, partition: 3, records, items: records.flatMap((r) => decodeRecord(r, 'sluice.quarantine.v1')), leaderEpoch: 0 };
}

/** Records every append; `refuse` decides, per call, whether it throws. */
function fakeWarehouse(refuse: (batch: AppendBatch, call: number) => boolean, ping?: () => Promise<void>) {
  const calls: { batch: AppendBatch; token: string | undefined; ok: boolean }[] = [];
  return {
    calls,
    async append(batch: AppendBatch, options?: { dedupToken?: string }) {
      const ok = !refuse(batch, calls.length);
      calls.push({ batch, token: options?.dedupToken, ok });
      if (!ok) throw new Error('refused');
      return { duplicate: batch.events.map(() => false) };
    },
    ...(ping === undefined ? {} : { ping }),
  };
}

function landingWith(warehouse: ReturnType<typeof fakeWarehouse>, abandon = new AbortController().signal) {
  const metrics = createLanderMetrics();
  const land = createBatchLanding({
    warehouse, metrics, log: silentLog, retry: { initialMs: 1, maxMs: 4 }, isolateAfterAttempts: 3,
    abandon, random: () => 0.5,
  });
  return { land, metrics };
}

async function counter(metrics: ReturnType<typeof createLanderMetrics>, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return value?.value ?? 0;
}

test('a failing batch is retried whole, with the same token, until the warehouse takes it', async () => {
  const { batch } = batchOf(5);
  const warehouse = fakeWarehouse((_, call) => call < 4, () => Promise.reject(new Error('down')));
  const { land, metrics } = landingWith(warehouse);
  await land(batch);
  assert.equal(warehouse.calls.length, 5);
  assert.deepEqual(new Set(warehouse.calls.map((c) => c.token)), new Set([dedupTokenOf(TOPIC, 3, 100n, 104n)]));
  assert.ok(warehouse.calls.every((c) => c.batch.events.length === 5), 'never split while the warehouse does not answer ping');
  assert.equal(await counter(metrics, 'sluice_lander_retries_total'), 4);
  assert.equal(await counter(metrics, 'sluice_lander_batches_total', { result: 'failed' }), 4);
  assert.equal(await counter(metrics, 'sluice_lander_events_landed_total'), 5);
});

test('a message the warehouse refuses while answering ping is isolated into quarantine; the rest lands', async () => {
  const { batch, ids } = batchOf(8);
  const bad = ids[5]!;
  const warehouse = fakeWarehouse((b) => b.events.some((e) => e.eventId === bad), () => Promise.resolve());
  const { land, metrics } = landingWith(warehouse);
  await land(batch);
  const landed = warehouse.calls.filter((c) => c.ok);
  assert.deepEqual(landed.flatMap((c) => c.batch.events.map((e) => e.eventId)).sort(), ids.filter((id) => id !== bad).sort());
  const quarantined = landed.flatMap((c) => c.batch.quarantine);
  assert.equal(quarantined.length, 1);
  assert.equal(quarantined[0]?.eventId, bad);
  assert.match(quarantined[0]?.message ?? '', /the warehouse refused the Kafka message at sluice\.events\.v1-3@105: refused/);
  assert.ok(landed.some((c) => c.token === dedupTokenOf(TOPIC, 3, 105n, 105n)), 'each half carries the token of its own offsets');
  assert.equal(await counter(metrics, 'sluice_lander_quarantine_landed_total', { origin: 'refused' }), 1);
  assert.equal(await counter(metrics, 'sluice_lander_events_landed_total'), 7);
});

test('an event refused inside a message of several lines is isolated down to its line, each half under a token of its own', async () => {
  const events = Array.from({ length: 6 }, () => makeIngestedEvent({ sessionId: 'one-session' }));
  const [message] = eventLineMessages(TOPIC, events, 1 << 20);
  const kafkaRecord: KafkaRecord = {
    topic: TOPIC, partition: 3, offset: 7n, timestamp: 0n, value: message!.value, headers: new Map([[SCHEMA_HEADER, INGESTED_EVENT_LINES_SCHEMA]]),
  };
  const batch = batchOfRecords([kafkaRecord]);
  const bad = events[4]!.eventId;
  const warehouse = fakeWarehouse((b) => b.events.some((e) => e.eventId === bad), () => Promise.resolve());
  const { land } = landingWith(warehouse);
  await land(batch);
  const landed = warehouse.calls.filter((c) => c.ok);
  assert.deepEqual(landed.flatMap((c) => c.batch.events.map((e) => e.eventId)).sort(), events.map((e) => e.eventId).filter((id) => id !== bad).sort());
  assert.match(landed.flatMap((c) => c.batch.quarantine)[0]?.message ?? '', /at sluice\.events\.v1-3@7\/4: refused/);
  const tokens = warehouse.calls.map((c) => c.token);
  assert.equal(tokens[0], dedupTokenOf(TOPIC, 3, 7n, 7n), 'the whole message: the token of its offset');
  assert.ok(tokens.includes(`${dedupTokenOf(TOPIC, 3, 7n, 7n)}-lines-0-2`) && tokens.includes(`${dedupTokenOf(TOPIC, 3, 7n, 7n)}-lines-3-5`));
  assert.equal(new Set(landed.map((c) => c.token)).size, landed.length, 'no two landed ranges share a token');
  assert.equal(dedupTokenOfItems(TOPIC, 3, batch.items), dedupTokenOf(TOPIC, 3, 7n, 7n));
});

test('without ping the lander cannot tell a refusal from an outage, so it keeps retrying the whole batch', async () => {
  const { batch } = batchOf(4);
  const warehouse = fakeWarehouse((_, call) => call < 6);
  const { land } = landingWith(warehouse);
  await land(batch);
  assert.ok(warehouse.calls.every((c) => c.batch.events.length === 4));
});

test('when the shutdown deadline passes the batch is abandoned, not skipped silently', async () => {
  const { batch } = batchOf(2);
  const abandon = new AbortController();
  const warehouse = fakeWarehouse(() => true);
  const { land } = landingWith(warehouse, abandon.signal);
  setTimeout(() => abandon.abort(), 30);
  await assert.rejects(land(batch), LandingAbandoned);
});
