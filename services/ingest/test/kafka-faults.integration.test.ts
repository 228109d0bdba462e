import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { privateBrokerPorts, skipWithoutKafka } from '../../../packages/adapters/event-log-kafka/test/kafka-test-utils.ts';
import { waitFor } from '../../../packages/lander/test/lander-test-utils.ts';
import { WRITE_KEY, exampleEvent, removeDir } from './helpers.ts';
import { allStoredIds, freePort, startServerProcess, stopServerProcess, type ServerProcess } from './server-process.ts';

/*
 * Broker outages under load, end to end: `sluice serve` in Kafka mode with the DuckDB warehouse
 * (so the lander runs inside serve) as a child process, against a broker this test starts itself
 * (same script as CI, ports picked per run) because it freezes, stops and restarts it. Two
 * outages in one run: the broker frozen (SIGSTOP: connections stay open, nothing answers) and the
 * broker stopped and started again on its data (KAFKA_KEEP_DATA=1: same cluster, topics and
 * committed offsets). While it is away no request may get a 200; afterwards every acknowledged
 * event is in the warehouse exactly once, and so is everything else once clients resend.
 */

const run = promisify(execFile);
const kafkaScript = path.resolve(import.meta.dirname, '../../../.ci/services/kafka.sh');

const CLIENTS = 4;
const BATCH = 25;
/**
 * An acknowledgement the broker sent just before it went away may reach the client a little later,
 * all the more on a loaded machine: responses in this first stretch of an outage are not judged.
 */
const GRACE_MS = 1500;
const MIN_STOPPED_MS = 6000;

interface Response {
  events: Array<Record<string, unknown>>;
  /** HTTP status, or 0 when the request failed without one. */
  status: number;
  code: string | undefined;
  retryAfter: string | null;
  /** performance.now() when the answer arrived. */
  at: number;
}

interface Outage {
  kind: string;
  down: number;
  up: number;
}

async function post(url: string, events: Array<Record<string, unknown>>): Promise<Response> {
  try {
    const response = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${WRITE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    const body = (await response.json()) as { accepted?: number; error?: { code?: string } };
    if (response.status === 200) assert.equal(body.accepted, events.length, 'every event of a 200 was accepted');
    return { events, status: response.status, code: body.error?.code, retryAfter: response.headers.get('retry-after'), at: performance.now() };
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    return { events, status: 0, code: String(error), retryAfter: null, at: performance.now() };
  }
}

/** CLIENTS concurrent clients, each sending fresh batches back to back and recording every answer. */
function startLoad(url: string) {
  const responses: Response[] = [];
  let running = true;
  const clients = Array.from({ length: CLIENTS }, async () => {
    while (running) {
      const events = Array.from({ length: BATCH }, () => exampleEvent('generation', { event_id: randomUUID(), session_id: `s-${randomUUID().slice(0, 4)}` }));
      responses.push(await post(url, events));
    }
  });
  return {
    responses,
    answeredSince: (since: number, status: number) => responses.filter((r) => r.at > since && r.status === status).length,
    async stop() {
      running = false;
      await Promise.all(clients);
    },
  };
}

describe('sluice serve (Kafka + DuckDB) while its broker goes away under load', { skip: skipWithoutKafka, timeout: 480_000 }, () => {
  // Own broker on a port pair picked per run: this test freezes and restarts it.
  let port: number;
  const env: Record<string, string | undefined> = { ...process.env };
  let stateDir: string;
  let dataDir: string;
  let server: ServerProcess | undefined;

  const broker = (command: 'start' | 'stop', keepData: boolean) =>
    run('bash', [kafkaScript, command], { env: { ...env, KAFKA_KEEP_DATA: keepData ? '1' : '0' }, timeout: 150_000 });
  const brokerPid = async () => Number((await readFile(path.join(stateDir, `kafka-${port}`, 'kafka.pid'), 'utf8')).trim());

  before(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'sluice-kafka-faults-'));
    dataDir = await mkdtemp(path.join(tmpdir(), 'sluice-kafka-faults-data-'));
    const ports = await privateBrokerPorts();
    port = ports.port;
    Object.assign(env, { KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(ports.controllerPort), SLUICE_SERVICES_DIR: stateDir });
    await broker('start', false);
    server = await startServerProcess(dataDir, await freePort(), {
      SLUICE_EVENT_LOG: 'kafka', SLUICE_KAFKA_BROKERS: `127.0.0.1:${port}`, SLUICE_KAFKA_PARTITIONS: '2', SLUICE_KAFKA_REPLICATION_FACTOR: '1',
    });
  });
  after(async () => {
    // A failure may have left the broker frozen: a stopped JVM ignores SIGTERM until continued.
    await brokerPid().then((pid) => process.kill(pid, 'SIGCONT')).catch(() => undefined);
    if (server) await stopServerProcess(server);
    await broker('stop', false).catch(() => undefined);
    await rm(stateDir, { recursive: true, force: true });
    await removeDir(dataDir);
  });

  test('no 200 while the broker is frozen or stopped; afterwards every acknowledged event is stored exactly once', async (t) => {
    const url = server!.url;
    const load = startLoad(url);
    const outages: Outage[] = [];
    try {
      await waitFor('acknowledged load before the first outage', () => load.answeredSince(0, 200) >= 2 * CLIENTS, 60_000);

      // Outage 1: frozen. Produce requests hang until the delivery timeout (15 s; a request queued
      // behind the round in flight waits up to twice that): 503, never 200. Held until as many
      // 503s came back as there are clients, which takes the queued rounds too.
      const pid = await brokerPid();
      process.kill(pid, 'SIGSTOP');
      const frozenAt = performance.now();
      try {
        await waitFor(`${CLIENTS} 503s while the broker is frozen`, () => load.answeredSince(frozenAt + GRACE_MS, 503) >= CLIENTS, 90_000);
      } finally {
        outages.push({ kind: 'frozen (SIGSTOP)', down: frozenAt, up: performance.now() });
        process.kill(pid, 'SIGCONT');
      }
      await waitFor('a 200 after the broker resumed', () => load.answeredSince(outages[0]!.up, 200) >= 1, 90_000);

      // Outage 2: stopped, then started again on its data. Down from the moment the JVM is gone.
      await broker('stop', true);
      const stoppedAt = performance.now();
      await waitFor('a 503 while the broker is stopped', () => load.answeredSince(stoppedAt + GRACE_MS, 503) >= 1, 90_000);
      // Refused connections fail fast: stay down a while so the window holds more than one answer.
      await sleep(Math.max(0, stoppedAt + MIN_STOPPED_MS - performance.now()));
      outages.push({ kind: 'stopped (kafka.sh stop, data kept)', down: stoppedAt, up: performance.now() });
      await broker('start', true);
      await waitFor('a 200 after the broker restarted', () => load.answeredSince(outages[1]!.up, 200) >= 1, 90_000);
      await sleep(1000);
    } finally {
      await load.stop();
    }

    const { responses } = load;
    const count = (status: number) => responses.filter((r) => r.status === status).length;
    t.diagnostic(`${responses.length} requests of ${BATCH} events: ${count(200)} × 200, ${count(503)} × 503, ${count(0)} without an answer`);
    for (const outage of outages) {
      const during = responses.filter((r) => r.at > outage.down + GRACE_MS && r.at < outage.up);
      const statuses = [...new Set(during.map((r) => r.status))].map((s) => `${during.filter((r) => r.status === s).length} × ${s}`);
      t.diagnostic(`${outage.kind}: ${Math.round((outage.up - outage.down) / 1000)} s, answers after the first ${GRACE_MS} ms: ${statuses.join(', ')}`);
      assert.equal(during.filter((r) => r.status === 200).length, 0, `${outage.kind}: no 200 while Kafka could not acknowledge`);
      assert.ok(during.some((r) => r.status === 503), `${outage.kind}: 503s while the broker was away`);
    }
    for (const r of responses.filter((r) => r.status !== 200)) {
      assert.equal(r.status, 503, `a failure is a 503, not ${r.status} (${r.code})`);
      assert.match(r.code ?? '', /^SLUICE_ERR_(STORAGE_UNAVAILABLE|QUEUE_FULL)$/);
      assert.ok(Number(r.retryAfter) > 0, 'a 503 says when to retry');
    }

    // Every acknowledged event lands once; the lander in serve has to find its way back too.
    const sentIds = new Set(responses.flatMap((r) => r.events.map((e) => e.event_id as string)));
    const acknowledged = responses.filter((r) => r.status === 200).flatMap((r) => r.events.map((e) => e.event_id as string));
    let stored: string[] = [];
    await waitFor('every acknowledged event in the warehouse', async () => {
      stored = await allStoredIds(url);
      const storedSet = new Set(stored);
      return acknowledged.every((id) => storedSet.has(id));
    }, 120_000);
    assert.equal(new Set(stored).size, stored.length, 'no event stored twice');
    assert.ok(stored.every((id) => sentIds.has(id)), 'nothing stored that was not sent');
    t.diagnostic(`${acknowledged.length} acknowledged events all stored; ${stored.length - acknowledged.length} of the 503 batches' events were stored as well`);

    // Clients resend what got a 503 (some of it is in Kafka already): still once each.
    for (const r of responses.filter((r) => r.status !== 200)) {
      let answer = await post(url, r.events);
      for (let attempt = 0; answer.status !== 200 && attempt < 20; attempt++) {
        await sleep(500);
        answer = await post(url, r.events);
      }
      assert.equal(answer.status, 200, 'the resend is acknowledged once the broker is back');
    }
    await waitFor('every sent event in the warehouse', async () => {
      stored = await allStoredIds(url);
      return new Set(stored).size >= sentIds.size;
    }, 120_000);
    // A late duplicate would arrive within the lander's batch wait (500 ms): look again after it.
    await sleep(2000);
    stored = await allStoredIds(url);
    assert.equal(stored.length, sentIds.size, 'each sent event stored exactly once after the resends');
    assert.deepEqual(new Set(stored), sentIds);
  });
});
