import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Consumer, Producer, stringSerializers } from '@platformatic/kafka';
import type { AppendBatch, AppendOutcome, EventLog } from '@sluice/core';
import { createKafkaEventLog } from '@sluice/event-log-kafka';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '@sluice/warehouse-duckdb';
import type { Lander, LandingWarehouse } from '../src/index.ts';

/** Set by CI after `bash .ci/services/kafka.sh start`; the integration tests skip without it. */
export const kafkaBrokers = process.env['KAFKA_BROKERS']?.split(',').filter((b) => b.length > 0) ?? [];
export const skipWithoutKafka = kafkaBrokers.length === 0 ? 'KAFKA_BROKERS not set' : false;

/** Topic and group names no other run or test shares: no cleanup needed, no stale offsets. */
export function uniqueNames(): { topic: string; quarantineTopic: string; groupId: string } {
  const run = `${Date.now()}-${randomUUID().slice(0, 8)}`;
  return { topic: `test.lander.events.${run}`, quarantineTopic: `test.lander.quarantine.${run}`, groupId: `test-lander-${run}` };
}

/** The producing side, exactly as ingest runs it; also creates both topics. */
export function openEventLog(names: { topic: string; quarantineTopic: string }, partitions: number): Promise<EventLog> {
  return createKafkaEventLog({ brokers: kafkaBrokers, ...names, partitions, replicationFactor: 1 });
}

/** Writes raw messages (any bytes, any headers) the way a foreign or broken producer could. */
export async function produceRaw(messages: { topic: string; partition?: number; value: string; headers?: Record<string, string>; timestamp?: bigint }[]): Promise<void> {
  const producer = new Producer({ clientId: 'sluice-test-raw', bootstrapBrokers: kafkaBrokers, serializers: stringSerializers, autocreateTopics: false });
  try {
    await producer.send({ messages: messages.map((m) => ({ ...m, headers: m.headers ?? {} })) });
  } finally {
    await producer.close();
  }
}

/** The group's committed offsets per partition (-1 when none), read without joining the group. */
export async function committedOffsets(groupId: string, topic: string, partitions: number): Promise<bigint[]> {
  const consumer = new Consumer({ clientId: 'sluice-test-offsets', groupId, bootstrapBrokers: kafkaBrokers });
  try {
    const committed = await consumer.listCommittedOffsets({ topics: [{ topic, partitions: Array.from({ length: partitions }, (_, i) => i) }] });
    return Array.from({ length: partitions }, (_, i) => committed.get(topic)?.[i] ?? -1n);
  } finally {
    await consumer.close(true);
  }
}

export async function highWatermarks(topic: string): Promise<bigint[]> {
  const consumer = new Consumer({ clientId: 'sluice-test-offsets', groupId: `unused-${randomUUID()}`, bootstrapBrokers: kafkaBrokers });
  try {
    return (await consumer.listOffsets({ topics: [topic] })).get(topic) ?? [];
  } finally {
    await consumer.close(true);
  }
}

export interface TempDuckDb {
  warehouse: DuckDbWarehouse;
  cleanup(): Promise<void>;
}

export async function openTempDuckDb(): Promise<TempDuckDb> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-lander-'));
  const warehouse = await createDuckDbWarehouse({ path: join(dir, 'warehouse.duckdb') });
  return {
    warehouse,
    async cleanup() {
      await warehouse.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Nothing in hand, nothing being landed, every landed offset committed. */
export function settled(lander: Lander): boolean {
  const status = lander.status();
  return status.messagesInHand === 0 && status.batchesLanding === 0 && status.uncommittedPartitions === 0;
}

export async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await sleep(50);
  }
}

export interface RecordedAppend {
  tokens: string[];
  events: number;
  quarantine: number;
}

/**
 * Wraps a warehouse to inject faults and record what the lander sent. `fault(call)` runs before
 * (`'before'`: the append never reaches the warehouse) or after (`'after'`: it is stored, then
 * the lander sees an error — a crash between insert and commit) the real append.
 */
export function faultyWarehouse(
  inner: LandingWarehouse & { ping(): Promise<void> },
  fault: (call: number, batch: AppendBatch) => 'before' | 'after' | 'hang' | undefined,
): LandingWarehouse & { appends: { token: string | undefined; events: number; quarantine: number; failed: boolean }[]; down: boolean } {
  const appends: { token: string | undefined; events: number; quarantine: number; failed: boolean }[] = [];
  const wrapper = {
    appends,
    /** While true, ping fails too, as it does when the warehouse is really down. */
    down: false,
    async append(batch: AppendBatch, options?: { dedupToken?: string }): Promise<AppendOutcome> {
      const kind = fault(appends.length, batch);
      const entry = { token: options?.dedupToken, events: batch.events.length, quarantine: batch.quarantine.length, failed: kind !== undefined };
      appends.push(entry);
      if (kind === 'before') throw new Error('injected: the warehouse is unreachable');
      const outcome = await inner.append(batch, options);
      if (kind === 'after') throw new Error('injected: the connection dropped after the insert');
      if (kind === 'hang') return new Promise<never>(() => {});
      return outcome;
    },
    async ping(): Promise<void> {
      if (wrapper.down) throw new Error('injected: the warehouse is down');
      await inner.ping();
    },
  };
  return wrapper;
}
