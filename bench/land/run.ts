/**
 * bench/land: the lander's rows/s from Kafka into ClickHouse against a direct bulk insert of the
 * same rows, in one run, on the same engine: chDB (ClickHouse in this process, one data directory,
 * a database per contender).
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 node bench/land/run.ts [--events 100000] [--partitions 3] [--batch 5000] [--rounds 3]
 *
 * 1. Fills a fresh topic with --events events through the Kafka event log, as ingest does (appends
 *    of 5,000 events over 997 sessions: messages of ~5 events each, lz4).
 * 2. Lander: one lander (batches of up to --batch events per partition, whole messages, a fresh consumer group) into a
 *    fresh database, timed from start() until every event is stored AND every offset is committed.
 *    The batches it hands to the warehouse are recorded.
 *    It numbers its batches by reservation on a sequence topic of its own (docs/decisions/0006): one
 *    produce before each insert and one ledger insert after it are part of what is measured.
 * 3. Direct: the recorded batches, in the same order, under the same insert deduplication tokens
 *    and numbers, through ClickHouseWarehouse.append into another fresh database — no Kafka, no lander.
 * Steps 2 and 3 alternate for --rounds rounds (the machine's load drifts; one round is noise);
 * each database is dropped once measured, so no contender runs beside another's background merges.
 * A warm-up append into a database of its own first, so neither pays chDB's first-query cost.
 * Not a test: printed. Start a broker with .ci/services/kafka.sh and pass its address.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import type { AppendBatch } from '@sluice/core';
import { makeIngestedEvent } from '@sluice/core/testing';
import { createKafkaEventLog } from '@sluice/event-log-kafka';
import { createLander, silentLog } from '@sluice/lander';
import { createClickHouseWarehouse, type ClickHouseAppendOptions } from '@sluice/warehouse-clickhouse';
import { createChdbConnection } from 'chdb/connection';

// chdb types its connection against its own copy of @clickhouse/client-common; see the ClickHouse adapter's chdb-harness.
type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' }, partitions: { type: 'string', default: '3' }, batch: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '3' },
  },
});
const total = Number(values.events);
const partitions = Number(values.partitions);
const batchSize = Number(values.batch);
const rounds = Number(values.rounds);
const brokers = process.env['KAFKA_BROKERS']?.split(',').filter((b) => b.length > 0) ?? [];
if (brokers.length === 0) throw new Error('set KAFKA_BROKERS (e.g. after KAFKA_PORT=24092 KAFKA_CONTROLLER_PORT=24093 bash .ci/services/kafka.sh start)');

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const rate = (rows: number, ms: number) => Math.round((rows * 1000) / ms).toLocaleString('en');

async function countFinal(client: ClickHouseClient, database: string): Promise<number> {
  const result = await client.query({
    query: `SELECT count() AS n FROM ${database}.events FINAL`, format: 'JSONEachRow', clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  });
  return (await result.json<{ n: number }>())[0]?.n ?? 0;
}

// 1. The topic.
const run = `${Date.now()}`;
const names = { topic: `bench.land.events.${run}`, quarantineTopic: `bench.land.quarantine.${run}` };
const log = await createKafkaEventLog({ brokers, ...names, partitions, replicationFactor: 1 });
const fillStarted = performance.now();
for (let sent = 0; sent < total; sent += 5000) {
  const events = Array.from({ length: Math.min(5000, total - sent) }, (_, i) => makeIngestedEvent({ sessionId: `s${(sent + i) % 997}`, userId: `user_${(sent + i) % 5003}` }));
  await log.append({ events, quarantine: [] });
}
await log.close();
const bytesPerEvent = JSON.stringify(makeIngestedEvent().payload).length;
console.log(`filled ${total.toLocaleString('en')} events (payload ≈${bytesPerEvent} bytes) into ${partitions} partitions in ${seconds(performance.now() - fillStarted)} s`);

const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-land-'));
const client = createClient({ connection: createChdbConnection({ path: dir }) as unknown as ClientConnection });

/** Measured and checked: dropped, so its background merges do not slow the next contender. */
async function dropDatabase(database: string): Promise<void> {
  await client.command({ query: `DROP DATABASE ${database} SYNC` });
}

interface Recorded { batch: AppendBatch; options: ClickHouseAppendOptions }
interface LanderRun { ms: number; joinMs: number; appendMs: number; ledgerMs: number; commitLagMs: number; recorded: Recorded[] }

/** One lander, a fresh group reading the topic from the start, into a fresh database. */
async function landRound(round: number): Promise<LanderRun> {
  const warehouse = await createClickHouseWarehouse({ client, database: `lander_${round}` });
  const recorded: Recorded[] = [];
  let landed = 0;
  let appendMs = 0;
  let ledgerMs = 0;
  const recording = {
    async append(batch: AppendBatch, options: ClickHouseAppendOptions = {}) {
      recorded.push({ batch, options });
      const started = performance.now();
      const outcome = await warehouse.append(batch, options);
      appendMs += performance.now() - started;
      landed += batch.events.length;
      return outcome;
    },
    ping: () => warehouse.ping(),
    // Numbered by reservation on the sequence topic, as `sluice land` on ClickHouse is (docs/decisions/0006).
    reservations: {
      ...warehouse.reservations,
      span: warehouse.reservations.span,
      async record(offsets: readonly bigint[]) {
        const started = performance.now();
        await warehouse.reservations.record(offsets);
        ledgerMs += performance.now() - started;
      },
    },
  };
  const lander = createLander({ brokers, ...names, sequenceTopic: `bench.land.seq.${run}.${round}`, groupId: `bench-land-${run}-${round}`, maxBatchEvents: batchSize }, { warehouse: recording, log: silentLog });
  const startedAt = performance.now();
  await lander.start();
  const joinedAt = performance.now(); // consuming; the group join itself may still be under way
  while (landed < total) await sleep(2);
  const landedAt = performance.now();
  const settled = () => { const s = lander.status(); return s.messagesInHand === 0 && s.batchesLanding === 0 && s.uncommittedPartitions === 0; };
  while (!settled()) await sleep(2);
  const committedAt = performance.now();
  await lander.stop();
  await warehouse.close();
  const stored = await countFinal(client, `lander_${round}`);
  if (stored !== total) throw new Error(`the lander stored ${stored} of ${total}`);
  await dropDatabase(`lander_${round}`);
  return { ms: committedAt - startedAt, joinMs: joinedAt - startedAt, appendMs, ledgerMs, commitLagMs: committedAt - landedAt, recorded };
}

/** The lander's batches, in its order, under its tokens, straight into a fresh database. */
async function directRound(round: number, recorded: readonly Recorded[]): Promise<number> {
  const warehouse = await createClickHouseWarehouse({ client, database: `direct_${round}` });
  const started = performance.now();
  for (const { batch, options } of recorded) await warehouse.append(batch, options);
  const ms = performance.now() - started;
  await warehouse.close();
  const stored = await countFinal(client, `direct_${round}`);
  if (stored !== total) throw new Error(`the direct insert stored ${stored} of ${total}`);
  await dropDatabase(`direct_${round}`);
  return ms;
}

try {
  const warmUp = await createClickHouseWarehouse({ client, database: 'warm_up' });
  await warmUp.append({ events: Array.from({ length: batchSize }, () => makeIngestedEvent()), quarantine: [] });
  await warmUp.close();
  await dropDatabase('warm_up');

  const rows: string[] = [];
  const ratios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const landerRun = await landRound(round);
    const directMs = await directRound(round, landerRun.recorded);
    ratios.push(directMs / landerRun.ms);
    const sizes = landerRun.recorded.map((r) => r.batch.events.length);
    console.error(`round ${round}: lander start() resolved after ${seconds(landerRun.joinMs)} s; ${landerRun.recorded.length} appends of `
      + `${Math.min(...sizes)}–${Math.max(...sizes)} events took ${seconds(landerRun.appendMs)} s of its ${seconds(landerRun.ms)} s `
      + `(${Math.round((100 * landerRun.appendMs) / landerRun.ms)}%), recording reservations ${seconds(landerRun.ledgerMs)} s; last commit ${Math.round(landerRun.commitLagMs)} ms after the last insert`);
    rows.push(`| ${round} | ${seconds(landerRun.ms)} | ${rate(total, landerRun.ms)} | ${seconds(directMs)} | ${rate(total, directMs)} | ${(directMs / landerRun.ms).toFixed(2)}x |`);
  }
  console.log('');
  console.log(`${total.toLocaleString('en')} rows per contender; lander = Kafka → ClickHouse (chDB), stored and committed; direct = ClickHouseWarehouse.append of the same batches`);
  console.log('| round | lander s | lander rows/s | direct s | direct rows/s | lander / direct |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) console.log(row);
  const median = [...ratios].sort((a, b) => a - b)[Math.floor((ratios.length - 1) / 2)]!;
  console.log(`\nratio lander / direct (median of ${rounds} rounds, lower middle) = ${median.toFixed(2)}x  (target >= 0.7x)`);
} finally {
  await client.close();
  await rm(dir, { recursive: true, force: true });
}
