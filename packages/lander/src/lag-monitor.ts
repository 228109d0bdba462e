import { ListOffsetTimestamps } from '@platformatic/kafka';
import type { LanderConsumer } from './consumption.ts';
import type { LanderLog } from './log.ts';
import type { LanderMetrics } from './metrics.ts';
import { partitionKey } from './partition-buffers.ts';

export interface LagMonitor {
  /** Last measured lag per owned partition, keyed `topic:partition`. */
  lag(): Record<string, number>;
  /** Measures now (also done every interval). */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Consumer lag, read from Kafka on a timer of its own so it keeps moving while the landing loop
 * is stuck retrying a warehouse that is down — which is exactly when an operator needs to see it
 * grow. Lag is the partition's high watermark minus the group's committed offset, as the broker
 * has them: what a restart would have to land again, for the partitions this lander owns.
 */
export function createLagMonitor(deps: {
  /** The current consumer; undefined while the lander reconnects (the last values stay). */
  consumer: () => LanderConsumer | undefined;
  topics: string[];
  metrics: LanderMetrics;
  log: LanderLog;
  intervalMs: number;
}): LagMonitor {
  const { metrics } = deps;
  let last: Record<string, number> = {};
  const reported = new Map<string, { topic: string; partition: number }>();
  let inFlight: Promise<void> | undefined;

  async function measure(): Promise<void> {
    const consumer = deps.consumer();
    if (consumer === undefined) return;
    const owned = (consumer.assignments ?? []).filter((a) => deps.topics.includes(a.topic) && a.partitions.length > 0);
    const next: Record<string, number> = {};
    if (owned.length > 0) {
      const topics = owned.map((a) => a.topic);
      const [highWatermarks, committed] = await Promise.all([
        consumer.listOffsets({ topics }),
        consumer.listCommittedOffsets({ topics: owned.map((a) => ({ topic: a.topic, partitions: [...a.partitions] })) }),
      ]);
      // A partition the group never committed is read from its start: lag counts from there.
      const neverCommitted = owned.some((a) => a.partitions.some((p) => (committed.get(a.topic)?.[p] ?? -1n) < 0n));
      const earliest = neverCommitted ? await consumer.listOffsets({ topics, timestamp: ListOffsetTimestamps.EARLIEST }) : undefined;
      for (const { topic, partitions } of owned) {
        for (const partition of partitions) {
          const high = highWatermarks.get(topic)?.[partition];
          if (high === undefined) continue;
          const done = committed.get(topic)?.[partition] ?? -1n;
          const from = done >= 0n ? done : (earliest?.get(topic)?.[partition] ?? 0n);
          const value = Number(high > from ? high - from : 0n);
          const key = partitionKey(topic, partition);
          next[key] = value;
          metrics.setLag(topic, partition, value);
          reported.set(key, { topic, partition });
        }
      }
    }
    // Partitions given away in a rebalance are their new owner's to report.
    for (const [key, { topic, partition }] of reported) {
      if (key in next) continue;
      metrics.forgetLag(topic, partition);
      reported.delete(key);
    }
    last = next;
  }

  function refresh(): Promise<void> {
    inFlight ??= measure().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  const timer = setInterval(() => {
    refresh().catch((error: unknown) => deps.log.debug({ err: error }, 'could not read consumer lag; keeping the last value'));
  }, deps.intervalMs);
  timer.unref();

  return {
    lag: () => ({ ...last }),
    refresh,
    stop: () => clearInterval(timer),
  };
}
