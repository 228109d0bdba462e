import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { kafkaBrokers, readEvents, readMessages, skipWithoutKafka } from '../../../packages/adapters/event-log-kafka/test/kafka-test-utils.ts';
import { makeIngestedEvent } from '@sluice/core/testing';
import { WRITE_KEY, exampleEvent, removeDir } from './helpers.ts';
import { allStoredIds, freePort, startServerProcess, stopServerProcess } from './server-process.ts';

describe('sluice serve with the Kafka event log', { skip: skipWithoutKafka }, () => {
  test('a 200 means Kafka has the events; invalid ones go to the quarantine topic', { timeout: 90_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-kafka-mode-'));
    const suffix = randomUUID().slice(0, 8);
    const topic = `ingest.events.${suffix}`;
    const quarantineTopic = `ingest.quarantine.${suffix}`;
    const server = await startServerProcess(dir, await freePort(), {
      SLUICE_EVENT_LOG: 'kafka', SLUICE_KAFKA_BROKERS: kafkaBrokers.join(','), SLUICE_KAFKA_TOPIC: topic,
      SLUICE_KAFKA_QUARANTINE_TOPIC: quarantineTopic, SLUICE_KAFKA_PARTITIONS: '2',
    });
    try {
      const events = [exampleEvent('generation'), exampleEvent('feedback')];
      const response = await fetch(`${server.url}/v1/batch`, {
        method: 'POST', headers: { authorization: `Bearer ${WRITE_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [...events, { type: 'generation', event_id: 'bad' }] }),
      });
      assert.equal(response.status, 200);
      const body = await response.json() as { accepted: number; rejected: unknown[] };
      assert.equal(body.accepted, 2);
      assert.equal(body.rejected.length, 1);
      const landed = await readEvents(topic, 2);
      assert.deepEqual(landed.map((m) => (JSON.parse(m.text) as { eventId: string }).eventId).sort(), events.map((e) => e.event_id).sort());
      const quarantined = await readMessages(quarantineTopic, 1);
      assert.equal((JSON.parse(quarantined[0]!.value) as { eventId: string }).eventId, 'bad');

      // With DuckDB the lander runs inside `sluice serve`: the events land and can be read back.
      const deadline = Date.now() + 30_000;
      let stored: string[] = [];
      while (Date.now() < deadline && stored.length < 2) {
        stored = await allStoredIds(server.url);
        if (stored.length < 2) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.deepEqual(stored.sort(), events.map((e) => e.event_id as string).sort());
    } finally {
      await stopServerProcess(server);
      await removeDir(dir);
    }
  });
});

test('an unreachable broker stops startup with a clear error instead of serving', { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-kafka-down-'));
  try {
    await assert.rejects(startServerProcess(dir, await freePort(), { SLUICE_EVENT_LOG: 'kafka', SLUICE_KAFKA_BROKERS: '127.0.0.1:1' }),
      (error: Error) => /SLUICE_ERR_STORAGE_UNAVAILABLE/.test(error.message) && /Kafka/.test(error.message));
  } finally {
    await removeDir(dir);
  }
});

describe('sluice land as its own process', { skip: skipWithoutKafka }, () => {
  test('lands what the Kafka event log accepted into the warehouse and exports consumer lag', { timeout: 90_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-land-'));
    const suffix = randomUUID().slice(0, 8);
    const kafkaEnv = {
      SLUICE_KAFKA_BROKERS: kafkaBrokers.join(','), SLUICE_KAFKA_TOPIC: `land.events.${suffix}`,
      SLUICE_KAFKA_QUARANTINE_TOPIC: `land.quarantine.${suffix}`, SLUICE_KAFKA_GROUP_ID: `land-${suffix}`,
    };
    const { createKafkaEventLog } = await import('@sluice/event-log-kafka');
    const log = await createKafkaEventLog({ brokers: kafkaBrokers, topic: kafkaEnv.SLUICE_KAFKA_TOPIC, quarantineTopic: kafkaEnv.SLUICE_KAFKA_QUARANTINE_TOPIC });
    const events = Array.from({ length: 20 }, () => makeIngestedEvent({ tenant: 'acme', source: 'support-web' }));
    await log.append({ events, quarantine: [] });
    await log.close();
    const land = await startServerProcess(dir, await freePort(), kafkaEnv, 'land');
    try {
      let metrics = '';
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && !/sluice_lander_events_landed_total 20/.test(metrics)) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        metrics = await (await fetch(`${land.url}/metrics`)).text();
      }
      assert.match(metrics, /sluice_lander_events_landed_total 20/);
      assert.match(metrics, /sluice_lander_consumer_lag\{/);
    } finally {
      assert.equal(await stopServerProcess(land), 0, 'SIGTERM: lands, commits and exits cleanly');
    }
    // The file is free again: read what landed.
    const { createDuckDbWarehouse } = await import('@sluice/warehouse-duckdb');
    const warehouse = await createDuckDbWarehouse({ path: join(dir, 'sluice.duckdb') });
    try {
      const stored = await warehouse.listEvents({ limit: 100 });
      assert.deepEqual(stored.map((e) => e.eventId).sort(), events.map((e) => e.eventId).sort());
    } finally {
      await warehouse.close();
      await removeDir(dir);
    }
  });
});
