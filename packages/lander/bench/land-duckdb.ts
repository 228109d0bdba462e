/**
 * Landing throughput: events per second from a pre-filled Kafka topic into DuckDB.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 node packages/lander/bench/land-duckdb.ts [--events 200000] [--partitions 3] [--batch 5000]
 *
 * Fills a fresh topic through the Kafka event log (as ingest does), then times one lander from
 * start() until the warehouse has stored every event. Not a test: one run, printed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppendBatch } from '@sluice/core';
import { makeIngestedEvent } from '@sluice/core/testing';
import { createKafkaEventLog } from '@sluice/event-log-kafka';
import { createDuckDbWarehouse } from '@sluice/warehouse-duckdb';
import { createLander, silentLog } from '../src/index.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' }, partitions: { type: 'string', default: '3' }, batch: { type: 'string', default: '5000' } } });
const total = Number(values.events);
const partitions = Number(values.partitions);
const brokers = process.env['KAFKA_BROKERS']?.split(',') ?? [];
if (brokers.length === 0) throw new Error('set KAFKA_BROKERS');

const run = `${Date.now()}`;
const names = { topic: `bench.lander.events.${run}`, quarantineTopic: `bench.lander.quarantine.${run}` };
const log = await createKafkaEventLog({ brokers, ...names, partitions, replicationFactor: 1 });
const fillStarted = performance.now();
for (let sent = 0; sent < total; sent += 5000) {
  const events = Array.from({ length: Math.min(5000, total - sent) }, (_, i) => makeIngestedEvent({ sessionId: `s${(sent + i) % 997}` }));
  await log.append({ events, quarantine: [] });
}
await log.close();
console.log(`filled ${total} events into ${partitions} partitions in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s`);

const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-lander-'));
const warehouse = await createDuckDbWarehouse({ path: join(dir, 'warehouse.duckdb') });
let landed = 0;
let appendMs = 0;
let appends = 0;
const counting = {
  async append(batch: AppendBatch) {
    const appendStarted = performance.now();
    const outcome = await warehouse.append(batch);
    appendMs += performance.now() - appendStarted;
    appends++;
    landed += batch.events.length;
    return outcome;
  },
  ping: () => warehouse.ping(),
};
const lander = createLander({ brokers, ...names, groupId: `bench-${run}`, maxBatchEvents: Number(values.batch) }, { warehouse: counting, log: silentLog });
const started = performance.now();
await lander.start();
const joined = performance.now();
while (landed < total) await sleep(5);
const done = performance.now();
await lander.stop();
const stored = (await warehouse.listEvents({ limit: 1, order: 'desc' }))[0]?.ingestSeq;
await warehouse.close();
await rm(dir, { recursive: true, force: true });

const seconds = (done - joined) / 1000;
console.log(`joined the group in ${((joined - started) / 1000).toFixed(2)} s`);
console.log(`${appends} warehouse appends took ${(appendMs / 1000).toFixed(2)} s of it (${Math.round((100 * appendMs) / (done - joined))}%)`);
console.log(`landed ${landed} events (last ingest_seq ${stored}) in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)} events/s (batch ${values.batch}, ${partitions} partitions)`);
