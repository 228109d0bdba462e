import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { kafkaBrokers, readMessages, skipWithoutKafka } from '../../../packages/adapters/event-log-kafka/test/kafka-test-utils.ts';
import { WRITE_KEY, exampleEvent, removeDir } from './helpers.ts';
import { freePort, startServerProcess, stopServerProcess } from './server-process.ts';

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
      const landed = await readMessages(topic, 2);
      assert.deepEqual(landed.map((m) => (JSON.parse(m.value) as { eventId: string }).eventId).sort(), events.map((e) => e.event_id).sort());
      const quarantined = await readMessages(quarantineTopic, 1);
      assert.equal((JSON.parse(quarantined[0]!.value) as { eventId: string }).eventId, 'bad');
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
