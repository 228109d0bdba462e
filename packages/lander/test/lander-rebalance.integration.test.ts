import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import type { AppendBatch } from '@sluice/core';
import { makeIngestedEvent } from '@sluice/core/testing';
import { createLander, silentLog, type Lander, type LandingWarehouse } from '../src/index.ts';
import { committedOffsets, highWatermarks, kafkaBrokers, openEventLog, skipWithoutKafka, uniqueNames, waitFor } from './lander-test-utils.ts';

/**
 * A warehouse shared by several landers, as ClickHouse is: counts how often each event arrived
 * (the real adapters deduplicate; here a second arrival is visible) and takes a little time per
 * append so that rebalances happen while batches are being landed.
 */
function countingWarehouse(): LandingWarehouse & { copies: Map<string, number> } {
  const copies = new Map<string, number>();
  return {
    copies,
    async append(batch: AppendBatch) {
      await sleep(5);
      const duplicate = batch.events.map((e) => copies.has(e.eventId));
      for (const e of batch.events) copies.set(e.eventId, (copies.get(e.eventId) ?? 0) + 1);
      return { duplicate };
    },
    async ping() {},
  };
}

describe('landers joining and leaving a group', { skip: skipWithoutKafka, timeout: 180_000 }, () => {
  test('while partitions move between two landers, every event lands and every offset ends committed', async () => {
    const names = uniqueNames();
    const log = await openEventLog(names, 4);
    const warehouse = countingWarehouse();
    const newLander = (): Lander => createLander(
      { brokers: kafkaBrokers, ...names, maxBatchEvents: 50, maxWaitMs: 50, sessionTimeoutMs: 10_000 },
      { warehouse, log: silentLog },
    );
    const produced: string[] = [];
    const produce = async (n: number) => {
      for (let round = 0; round < n / 100; round++) {
        const events = Array.from({ length: 100 }, (_, i) => makeIngestedEvent({ sessionId: `s${(round * 100 + i) % 37}` }));
        produced.push(...events.map((e) => e.eventId));
        await log.append({ events, quarantine: [] });
      }
    };
    const a = newLander();
    const b = newLander();
    try {
      await a.start();
      await produce(500);
      await waitFor('A landed some', () => warehouse.copies.size > 0);
      await b.start(); // rebalance: A gives up some partitions while it is landing
      await produce(500);
      await waitFor('both own partitions', () => a.status().partitions.length > 0 && b.status().partitions.length > 0);
      await produce(500);
      await a.stop(); // rebalance: B takes everything
      await produce(500);
      await waitFor('all 2000 events landed', () => produced.every((id) => warehouse.copies.has(id)), 60_000);
      await waitFor('every offset committed', async () =>
        (await committedOffsets(names.groupId, names.topic, 4)).join() === (await highWatermarks(names.topic)).join(), 30_000);
      const extra = [...warehouse.copies.values()].reduce((n, c) => n + c - 1, 0);
      assert.equal(warehouse.copies.size, 2000);
      // Re-landed copies are allowed (the warehouse drops them); lost events are not.
      console.log(`# re-landed copies after two rebalances: ${extra} of 2000`);
      for (const lander of [a, b]) {
        const reconnects = (await lander.registry.getMetricsAsJSON()).find((m) => m.name === 'sluice_lander_reconnects_total')?.values[0]?.value;
        assert.equal(reconnects, 0, 'a rebalance is followed without skipping offsets, so without re-reading from scratch');
      }
    } finally {
      await b.stop();
      await a.stop();
      await log.close();
    }
  });
});
