import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { makeIngestedEvent } from '@sluice/core/testing';
import { createChdbConnection } from 'chdb/connection';
import type { LanderProcessOptions } from './chdb-lander-process.ts';
import { committedOffsets, highWatermarks, kafkaBrokers, openEventLog, skipWithoutKafka, uniqueNames, waitFor } from './lander-test-utils.ts';

/*
 * A lander process killed with SIGKILL, twice, and restarted, against the real ClickHouse engine
 * (chDB). chDB runs inside its process, so the lander runs in a child process of its own
 * (chdb-lander-process.ts) on an on-disk chDB directory; this process opens the same directory
 * only after the last child is gone (one process at a time may hold it).
 *
 * Kill 1 is deterministic: the child stores its 3rd batch and never hears back, so the batch is in
 * ClickHouse and its offsets are not committed — the crash window of every at-least-once consumer.
 * Kill 2 strikes half an append's usual duration into one (the adapter's existence check, then the
 * INSERT): in the runs so far the killed batch had not been stored yet, and no half-written part
 * survived; timing varies, and whichever side of the INSERT it hits, the next lander must store
 * each event once.
 */

// chdb types its connection against its own copy of @clickhouse/client-common; see the ClickHouse adapter's chdb-harness.
type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

const childScript = fileURLToPath(new URL('./chdb-lander-process.ts', import.meta.url));
const DISTINCT_EVENTS = 3000;
const RESENT_EVENTS = 300;
const PARTITIONS = 2;
const DATABASE = 'sluice';

interface LanderChild {
  lines: string[];
  /** performance.now() at which each line arrived. */
  times: number[];
  stderr(): string;
  /** Resolves with the signal that ended it, or the exit code. */
  exited: Promise<NodeJS.Signals | number | null>;
  process: ChildProcess;
}

/**
 * Starts a lander process. `killAfter` is asked on every stdout line; a number is a delay in ms
 * after which the process gets SIGKILL (0: at once).
 */
function startLanderProcess(options: LanderProcessOptions, killAfter: (lines: readonly string[]) => number | undefined = () => undefined): LanderChild {
  const child = spawn(process.execPath, [childScript, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const times: number[] = [];
  let stderr = '';
  let killing = false;
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    times.push(performance.now());
    const delay = killing ? undefined : killAfter(lines);
    if (delay === undefined) return;
    killing = true;
    if (delay === 0) child.kill('SIGKILL');
    else setTimeout(() => child.kill('SIGKILL'), delay);
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return { lines, times, stderr: () => stderr, exited, process: child };
}

/** Median time from an `inserting` line to the `inserted` line that follows it. */
function medianInsertMs(child: LanderChild): number {
  const durations: number[] = [];
  child.lines.forEach((line, i) => {
    if (line.startsWith('inserted ') && child.lines[i - 1]?.startsWith('inserting ')) durations.push(child.times[i]! - child.times[i - 1]!);
  });
  durations.sort((a, b) => a - b);
  return durations[Math.floor(durations.length / 2)] ?? 0;
}

const linesOf = (lines: readonly string[], kind: 'inserting' | 'inserted') => lines.filter((l) => l.startsWith(`${kind} `)).map((l) => l.split(' '));
/** `topic-partition-firstOffset-lastOffset` (the topic itself contains dashes). */
function parseToken(token: string): { partition: number; first: bigint; last: bigint } {
  const [partition, first, last] = token.split('-').slice(-3);
  return { partition: Number(partition), first: BigInt(first!), last: BigInt(last!) };
}

describe('a lander killed with SIGKILL and restarted, on ClickHouse (chDB)', { skip: skipWithoutKafka, timeout: 300_000 }, () => {
  test('every distinct event is stored exactly once: count() with and without FINAL, and after OPTIMIZE FINAL', async (t) => {
    const names = uniqueNames();
    const log = await openEventLog(names, PARTITIONS);
    const events = Array.from({ length: DISTINCT_EVENTS }, (_, i) => makeIngestedEvent({ sessionId: `s${i % 50}` }));
    for (let i = 0; i < events.length; i += 500) await log.append({ events: events.slice(i, i + 500), quarantine: [] });
    // Client resends: these events are in the topic twice.
    await log.append({ events: events.slice(0, RESENT_EVENTS), quarantine: [] });
    await log.close();

    const chdbPath = await mkdtemp(join(tmpdir(), 'sluice-lander-kill-'));
    const options: LanderProcessOptions = { brokers: kafkaBrokers, ...names, chdbPath, database: DATABASE, maxBatchEvents: 200 };
    const children: LanderChild[] = [];
    const allLanded = async () => (await committedOffsets(names.groupId, names.topic, PARTITIONS)).join() === (await highWatermarks(names.topic)).join();
    try {
      // Kill 1: the 3rd batch is stored, its append never answers, so its offsets are never committed.
      const first = startLanderProcess({ ...options, hangAfterInserts: 3 }, (lines) => (linesOf(lines, 'inserted').length === 3 ? 0 : undefined));
      children.push(first);
      assert.equal(await first.exited, 'SIGKILL', `the first lander was killed (stderr: ${first.stderr()})`);
      const hung = linesOf(first.lines, 'inserted')[2]!;
      const hungBatch = parseToken(hung[1]!);
      const afterFirst = await committedOffsets(names.groupId, names.topic, PARTITIONS);
      assert.ok(afterFirst[hungBatch.partition]! <= hungBatch.first, `batch ${hung[1]} is in ClickHouse but not committed (${afterFirst.join()})`);

      // Kill 2: half an insert's usual time into the restarted lander's 3rd insert.
      const killDelay = Math.max(1, Math.round(medianInsertMs(first) / 2));
      const second = startLanderProcess(options, (lines) => (linesOf(lines, 'inserting').length === 3 ? killDelay : undefined));
      children.push(second);
      assert.equal(await second.exited, 'SIGKILL', `the second lander was killed (stderr: ${second.stderr()})`);
      assert.equal(await allLanded(), false, 'killed before everything was landed');

      // The third runs until every offset is committed, then stops gracefully.
      const third = startLanderProcess(options);
      children.push(third);
      await waitFor('the group committed every offset', allLanded, 120_000);
      third.process.kill('SIGTERM');
      assert.equal(await third.exited, 0, `the last lander stopped cleanly (stderr: ${third.stderr()})`);

      const duplicatesAfterRestart = [second, third].flatMap((c) => linesOf(c.lines, 'inserted')).reduce((n, l) => n + Number(l[3]), 0);
      assert.ok(duplicatesAfterRestart >= Number(hung[2]), `the replayed batch came back as duplicates (${duplicatesAfterRestart})`);
      t.diagnostic(`kill 2 struck ${killDelay} ms into an insert (median insert ${Math.round(medianInsertMs(first))} ms)`);
      for (const [i, c] of children.entries()) {
        t.diagnostic(`lander ${i + 1}: ${linesOf(c.lines, 'inserting').length} inserts begun, ${linesOf(c.lines, 'inserted').length} finished, `
          + `${linesOf(c.lines, 'inserted').reduce((n, l) => n + Number(l[3]), 0)} events reported as duplicates`);
      }
    } finally {
      for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
      await Promise.all(children.map((c) => c.exited));
    }

    // Every child is gone: this process may open the chDB directory now.
    const client = createClient({ connection: createChdbConnection({ path: chdbPath }) as unknown as ClientConnection });
    const count = async (sql: string): Promise<number> => {
      const result = await client.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: { output_format_json_quote_64bit_integers: 0 } });
      return (await result.json<{ n: number }>())[0]?.n ?? -1;
    };
    try {
      assert.equal(await count(`SELECT count() AS n FROM ${DATABASE}.events FINAL`), DISTINCT_EVENTS, 'count() FINAL: each distinct event once');
      assert.equal(await count(`SELECT count() AS n FROM ${DATABASE}.events`), DISTINCT_EVENTS, 'no second copy stored at all, not only hidden by FINAL');
      await client.command({ query: `OPTIMIZE TABLE ${DATABASE}.events FINAL` });
      assert.equal(await count(`SELECT count() AS n FROM ${DATABASE}.events`), DISTINCT_EVENTS, 'count() after OPTIMIZE FINAL');
      assert.equal(await count(`SELECT uniqExact(ingest_seq) AS n FROM ${DATABASE}.events`), DISTINCT_EVENTS, 'no ingest_seq handed out twice across restarts');
      const result = await client.query({ query: `SELECT toString(event_id) AS id FROM ${DATABASE}.events`, format: 'JSONEachRow' });
      const stored = (await result.json<{ id: string }>()).map((r) => r.id);
      assert.deepEqual(new Set(stored), new Set(events.map((e) => e.eventId.toLowerCase())), 'exactly the produced events');
    } finally {
      await client.close();
      await rm(chdbPath, { recursive: true, force: true });
    }
  });
});
