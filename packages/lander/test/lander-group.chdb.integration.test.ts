import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { makeIngestedEvent, makeQuarantinedEvent } from '@sluice/core/testing';
import { createClickHouseWarehouse, RESERVATION_SPAN, type ClickHouseWarehouse } from '@sluice/warehouse-clickhouse';
import { createChdbConnection } from 'chdb/connection';
import type { IpcLanderOptions } from './ipc-lander-process.ts';
import { serveWarehouse, type WarehouseCall } from './ipc-warehouse.ts';
import { committedOffsets, highWatermarks, kafkaBrokers, openEventLog, skipWithoutKafka, uniqueNames, waitFor } from './lander-test-utils.ts';

/*
 * Three landers of one consumer group on one ClickHouse warehouse, numbering by reservation on the
 * sequence topic (docs/decisions/0006). Each lander is a process of its own (ipc-lander-process.ts)
 * whose warehouse is this process's chDB, over IPC, as a ClickHouse server is reached over the
 * network; each has its own adapter instance and chDB connection here. A joins; B joins; C joins;
 * once B has landed batches of its own, B is killed with SIGKILL while its next insert is on its
 * way, and that insert is carried out only after another lander has landed B's open reservation
 * again (a zombie insert, late); A leaves.
 *
 * The watermark promise is checked by sampling: read W = maxIngestSeq(), then, right after, each
 * event's lowest stored ingest_seq among rows <= W. At the end, the events whose lowest number is
 * <= W, with those numbers, must be exactly the sampled ones: nothing at or below a watermark
 * appears (or changes number) after it was published. The only slack is the instant between
 * reading W and reading the rows, where a row stored meanwhile would count as present.
 */

// chdb types its connection against its own copy of @clickhouse/client-common; see the ClickHouse adapter's chdb-harness.
type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

const childScript = fileURLToPath(new URL('./ipc-lander-process.ts', import.meta.url));
const PARTITIONS = 3;
const DATABASE = 'sluice';
const ROUND_EVENTS = 1000;
const ROUND_QUARANTINED = 5;

interface LanderChild {
  name: string;
  process: ChildProcess;
  partitions: string[];
  appends: number;
  stderr(): string;
  exited: Promise<NodeJS.Signals | number | null>;
}

interface Sample { watermark: number; seqs: Map<string, number> }

describe('three landers of one group on one ClickHouse warehouse (chDB), numbering by reservation', { skip: skipWithoutKafka, timeout: 300_000 }, () => {
  test('joins, a SIGKILL mid-insert and a leave: each event stored once, every ingest_seq distinct, the watermark never passes a missing event', async (t) => {
    const names = uniqueNames();
    const sequenceTopic = names.topic.replace('events', 'seq');
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
    const observer = await openWarehouse();
    const query = async <T>(sql: string): Promise<T[]> => {
      const result = await clients[0]!.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: { output_format_json_quote_64bit_integers: 0 } });
      return result.json<T>();
    };
    const count = async (sql: string): Promise<number> => (await query<{ n: number }>(sql))[0]?.n ?? -1;

    const producedEvents: string[] = [];
    const producedQuarantine: string[] = [];
    const produce = async () => {
      for (let i = 0; i < ROUND_EVENTS; i += 100) {
        const events = Array.from({ length: 100 }, (_, j) => makeIngestedEvent({ sessionId: `s${(producedEvents.length + j) % 41}` }));
        producedEvents.push(...events.map((e) => e.eventId.toLowerCase()));
        const quarantine = i === 0 ? Array.from({ length: ROUND_QUARANTINED }, () => makeQuarantinedEvent({ message: `q${producedQuarantine.length}` })) : [];
        for (const q of quarantine) producedQuarantine.push(q.message);
        await log.append({ events, quarantine });
      }
    };

    // The kill: B's first append after `armed` kills B at once; the append itself is carried out
    // only once another lander has recorded that reservation as landed.
    let armed = false;
    let zombie: { reservation: bigint; relandedFirst: boolean } | undefined;
    let zombieDone: () => void = () => {};
    const zombieFinished = new Promise<void>((resolve) => { zombieDone = resolve; });
    const children: LanderChild[] = [];
    const start = async (name: string): Promise<LanderChild> => {
      const options: IpcLanderOptions = { brokers: kafkaBrokers, ...names, sequenceTopic, maxBatchEvents: 200 };
      const child = fork(childScript, [JSON.stringify(options)], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      const lander: LanderChild = {
        name, process: child, partitions: [], appends: 0, stderr: () => stderr,
        exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code))),
      };
      child.on('message', (message: { status?: { partitions: string[] } }) => {
        if (message.status !== undefined) lander.partitions = message.status.partitions;
      });
      serveWarehouse(child, await openWarehouse(), async (call: WarehouseCall) => {
        if (call.method !== 'append') return;
        lander.appends++;
        if (name !== 'B' || !armed || zombie !== undefined) return;
        const seqs = (call.args[1] as { seqs: { events: number[]; quarantine: number[] } }).seqs;
        const reservation = BigInt(Math.floor((seqs.events[0] ?? seqs.quarantine[0]!) / RESERVATION_SPAN));
        zombie = { reservation, relandedFirst: false };
        child.kill('SIGKILL');
        const landed = async () => {
          const state = await observer.reservations.state();
          return state.lowestUnlanded > reservation || state.landedAbove.includes(reservation);
        };
        await waitFor('another lander lands the killed one\'s reservation', landed, 60_000).catch(() => undefined);
        zombie.relandedFirst = await landed();
        setImmediate(zombieDone);
      });
      children.push(lander);
      return lander;
    };

    const samples: Sample[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const watermark = await observer.maxIngestSeq();
        const rows = await query<{ id: string; seq: number }>(`SELECT toString(event_id) AS id, min(ingest_seq) AS seq FROM ${DATABASE}.events
          WHERE ingest_seq <= ${watermark} GROUP BY event_id`);
        samples.push({ watermark, seqs: new Map(rows.map((r) => [r.id, r.seq])) });
        await sleep(200);
      }
    })();

    const landedEvents = () => count(`SELECT uniqExact(event_id) AS n FROM ${DATABASE}.events`);
    try {
      await produce();
      const a = await start('A');
      await waitFor('A landed some', async () => (await landedEvents()) > 0, 60_000);
      const b = await start('B');
      await produce();
      await waitFor('A and B own partitions', () => a.partitions.length > 0 && b.partitions.length > 0, 60_000);
      const c = await start('C');
      await waitFor('A, B and C own an events partition each', () => [a, b, c].every((l) => l.partitions.some((p) => p.startsWith(`${names.topic}:`))), 60_000);
      await produce();
      await waitFor('B landed some of its own', () => b.appends > 0, 60_000);
      armed = true;
      await produce();
      assert.equal(await b.exited, 'SIGKILL', `B was killed (stderr: ${b.stderr()})`);
      await zombieFinished;
      a.process.kill('SIGTERM');
      assert.equal(await a.exited, 0, `A left cleanly (stderr: ${a.stderr()})`);
      await produce();
      await waitFor('the group committed every offset', async () =>
        (await committedOffsets(names.groupId, names.topic, PARTITIONS)).join() === (await highWatermarks(names.topic)).join(), 120_000);
      await waitFor('no reservation open', async () => {
        const state = await observer.reservations.state();
        return state.landedAbove.length === 0 && state.lowestUnlanded === (await highWatermarks(sequenceTopic))[0];
      }, 60_000);
      c.process.kill('SIGTERM');
      assert.equal(await c.exited, 0, `C stopped cleanly (stderr: ${c.stderr()})`);
      sampling = false;
      await sampler;

      assert.ok(zombie?.relandedFirst, 'the killed lander\'s open reservation was landed again by another lander before its own insert went through');
      const total = producedEvents.length;
      assert.equal(await count(`SELECT count() AS n FROM ${DATABASE}.events FINAL`), total, 'count() FINAL: each event once');
      const kept = await query<{ id: string; seq: number }>(`SELECT toString(event_id) AS id, argMax(ingest_seq, keep_first) AS seq
        FROM ${DATABASE}.events GROUP BY tenant, source, event_id`);
      assert.equal(kept.length, total, 'one row per event key (argMax)');
      assert.deepEqual(new Set(kept.map((r) => r.id)), new Set(producedEvents), 'exactly the produced events');
      assert.equal(new Set(kept.map((r) => r.seq)).size, total, 'every event its own ingest_seq');
      assert.equal(await count(`SELECT count() AS n FROM (SELECT ingest_seq FROM ${DATABASE}.events GROUP BY ingest_seq HAVING uniqExact(event_id) > 1)`), 0,
        'no ingest_seq on two events, in any stored copy');
      const quarantine = await query<{ m: string; seq: number }>(`SELECT message AS m, quarantine_seq AS seq FROM ${DATABASE}.quarantine`);
      assert.deepEqual(new Set(quarantine.map((q) => q.m)), new Set(producedQuarantine), 'every quarantined event stored');
      assert.equal(new Set(quarantine.map((q) => q.seq)).size, quarantine.length, 'every quarantine row its own quarantine_seq');

      const final = new Map(kept.map((r) => [r.id, r.seq]));
      const lastWatermark = await observer.maxIngestSeq();
      assert.ok(kept.every((r) => r.seq <= lastWatermark), 'once nothing is open, the watermark covers every stored event');
      const moving = samples.filter((s) => s.watermark > 0);
      assert.ok(new Set(moving.map((s) => s.watermark)).size >= 3, `the watermark moved during the run (${moving.length} samples)`);
      for (const sample of samples) {
        const now = new Map([...final].filter(([, seq]) => seq <= sample.watermark));
        assert.deepEqual(now, sample.seqs, `the events at or below watermark ${sample.watermark} are the ones stored when it was read`);
      }
      const copies = (await count(`SELECT count() AS n FROM ${DATABASE}.events`)) - total;
      t.diagnostic(`${total} events, ${quarantine.length} quarantine rows (${producedQuarantine.length} produced); ${copies} extra copies before merges; `
        + `${samples.length} watermark samples (${moving.length} above 0); appends A ${a.appends}, B ${b.appends}, C ${c.appends}; `
        + `B killed with reservation ${zombie?.reservation} in flight`);
    } finally {
      sampling = false;
      await sampler.catch(() => undefined);
      for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
      await Promise.all(children.map((c) => c.exited));
      await log.close();
      for (const warehouse of warehouses) await warehouse.close();
      for (const client of clients) await client.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
