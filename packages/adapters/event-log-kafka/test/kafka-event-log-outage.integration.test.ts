import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { EventLog } from '@sluice/core';
import { makeIngestedEvent } from '@sluice/core/testing';
import { createKafkaEventLog } from '../src/index.ts';
import { privateBrokerPorts, skipWithoutKafka, uniqueTopics } from './kafka-test-utils.ts';

const run = promisify(execFile);

async function untilStopped(pid: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const tasks = await readdir(`/proc/${pid}/task`);
    const states = await Promise.all(tasks.map((t) => readFile(`/proc/${pid}/task/${t}/stat`, 'utf8').then((stat) => stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3), () => 'T')));
    if (states.every((state) => state === 'T' || state === 't')) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`broker ${pid} did not stop after SIGSTOP`);
}
const kafkaScript = path.resolve(import.meta.dirname, '../../../../.ci/services/kafka.sh');

/**
 * Outages need a broker this test may freeze and kill, so it starts its own (same script as CI,
 * other ports, its own state directory) instead of touching the shared one from KAFKA_BROKERS.
 * Skipped like the other Kafka tests: KAFKA_BROKERS set means Java and the Kafka jars are there.
 */
describe('Kafka EventLog when the broker goes away', { skip: skipWithoutKafka, timeout: 180_000 }, () => {
  // A port pair picked per run, so two test runs (or a developer's broker) never collide.
  let port: number;
  const env: Record<string, string | undefined> = { ...process.env };
  let stateDir: string;
  let log: EventLog | undefined;

  const broker = (command: 'start' | 'stop') => run('bash', [kafkaScript, command], { env, timeout: 150_000 });
  const brokerPid = async () => Number((await readFile(path.join(stateDir, `kafka-${port}`, 'kafka.pid'), 'utf8')).trim());
  const oneEvent = () => ({ events: [makeIngestedEvent()], quarantine: [] });

  before(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'sluice-kafka-outage-'));
    const ports = await privateBrokerPorts();
    port = ports.port;
    Object.assign(env, { KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(ports.controllerPort), SLUICE_SERVICES_DIR: stateDir });
    await broker('start');
    log = await createKafkaEventLog({
      brokers: [`127.0.0.1:${port}`],
      ...uniqueTopics(),
      connectTimeoutMs: 1000,
      requestTimeoutMs: 1000,
      retries: 2,
      deliveryTimeoutMs: 3000,
    });
  });
  after(async () => {
    await log?.close();
    await broker('stop').catch(() => undefined);
    await rm(stateDir, { recursive: true, force: true });
  });

  test('a frozen broker: append rejects with SLUICE_ERR_STORAGE_UNAVAILABLE at the delivery timeout, then recovers', async () => {
    assert.deepEqual(await log!.append(oneEvent()), { duplicate: [false] });
    const pid = await brokerPid();
    process.kill(pid, 'SIGSTOP');
    // kill() returns before a busy JVM on the other core has actually stopped; on a loaded
    // machine it can still answer a request sent right after. Wait until every thread is stopped.
    await untilStopped(pid);
    try {
      const started = performance.now();
      await assert.rejects(log!.append(oneEvent()), { code: 'SLUICE_ERR_STORAGE_UNAVAILABLE' });
      const waited = performance.now() - started;
      assert.ok(waited < 4500, `rejected after ${Math.round(waited)} ms, bounded by deliveryTimeoutMs`);
      assert.equal(log!.queuedEvents(), 0);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // The client reconnects by itself; give the resumed broker a few tries.
    let recovered = false;
    for (let attempt = 0; attempt < 10 && !recovered; attempt++) {
      recovered = await log!.append(oneEvent()).then(() => true, () => false);
    }
    assert.ok(recovered, 'appends succeed again once the broker is back');
  });

  test('a stopped broker: append rejects with SLUICE_ERR_STORAGE_UNAVAILABLE instead of hanging', async () => {
    await broker('stop');
    const started = performance.now();
    await assert.rejects(log!.append(oneEvent()), { code: 'SLUICE_ERR_STORAGE_UNAVAILABLE' });
    assert.ok(performance.now() - started < 4500, 'bounded by deliveryTimeoutMs');
  });
});
