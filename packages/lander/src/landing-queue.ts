import type { CommitOptionsPartition } from '@platformatic/kafka';
import { describePosition } from './decode-records.ts';
import type { LanderLog } from './log.ts';
import type { LanderMetrics } from './metrics.ts';
import { partitionKey, type PartitionBatch } from './partition-buffers.ts';

export type CommitOffsets = (offsets: CommitOptionsPartition[]) => Promise<void>;

/**
 * Lands a batch. Resolves once the warehouse is free for the next one; when the batch may be
 * committed only later (its reservation being recorded), with `recorded` settling then.
 */
export type LandBatch = (batch: PartitionBatch) => Promise<{ recorded: Promise<void> } | void>;

export interface LandingQueue {
  /**
   * Lands the batch in the background, so that the next batch is read from Kafka while the
   * warehouse writes this one. One landing at a time: this waits for the previous one, which bounds
   * what is in hand and keeps each partition's commits in offset order. The offset commit after a
   * landing runs beside the next landing, not before it. Rejects when the previous landing was
   * abandoned at stop.
   */
  enqueue(batch: PartitionBatch): Promise<void>;
  /** Resolves (never rejects) once no batch is being landed: the warehouse is free for the next one. */
  landed(): Promise<void>;
  /** Waits for the landing in flight and the commit after it; rejects if it was abandoned at stop. */
  settled(): Promise<void>;
  /** Commits every landed offset Kafka has not confirmed yet. A failure is logged; the next commit carries it. */
  commitLanded(): Promise<void>;
  /** After a rebalance: the offsets of partitions given away are their new owner's to commit. */
  retainOnly(owned: ReadonlySet<string>): void;
  clear(): void;
  /** Batches being inserted (retries included): the warehouse is busy. */
  batchesLanding(): number;
  /** Batches inserted whose reservation is being recorded: not committed yet. */
  batchesRecording(): number;
  uncommittedPartitions(): number;
}

/**
 * Offsets are committed only after the append that covers them resolved, and only up to the last
 * message of that batch: whatever Kafka has committed, the warehouse has.
 */
export function createLandingQueue(deps: {
  landBatch: LandBatch;
  /** The current consumer's commit; undefined while reconnecting (the offsets wait). */
  committer: () => CommitOffsets | undefined;
  metrics: LanderMetrics;
  log: LanderLog;
}): LandingQueue {
  /** Landed batches whose offsets Kafka has not confirmed yet; the next commit carries them. */
  const uncommitted = new Map<string, CommitOptionsPartition>();
  let inFlight: Promise<void> = Promise.resolve();
  /** The last batch's way to committable (landed and, with reservations, recorded); they settle in landing order. */
  let lastCommittable: Promise<void> = Promise.resolve();
  /** Commits run one after the other (never two at once), each sending every offset landed by then. */
  let committing: Promise<void> = Promise.resolve();
  let landing = 0;
  /** Batches inserted whose reservation is still being recorded (not committable yet). */
  let recording = 0;

  /** Resolves once inserted (a promise returned from here would be awaited, so it travels in an object). */
  async function land(batch: PartitionBatch): Promise<{ recorded: Promise<void> } | void> {
    landing++;
    try {
      return await deps.landBatch(batch);
    } finally {
      landing--;
    }
  }

  function commitWhenLanded(batch: PartitionBatch): void {
    // Landed again for another lander: the stream's own batches commit this partition.
    if (batch.reservation !== undefined) return;
    const last = batch.records.at(-1)!;
    const key = partitionKey(batch.topic, batch.partition);
    uncommitted.set(key, { topic: batch.topic, partition: batch.partition, offset: last.offset + 1n, leaderEpoch: batch.leaderEpoch });
    deps.log.debug({ partition: key, messages: batch.records.length, upTo: describePosition({ record: last }) }, 'landed');
    void commitLanded();
  }

  function commitLanded(): Promise<void> {
    committing = committing.then(commitNow);
    return committing;
  }

  async function commitNow(): Promise<void> {
    const commit = deps.committer();
    if (uncommitted.size === 0 || commit === undefined) return;
    const offsets = [...uncommitted.values()];
    try {
      await commit(offsets);
      for (const offset of offsets) {
        const key = partitionKey(offset.topic, offset.partition);
        if (uncommitted.get(key) === offset) uncommitted.delete(key);
      }
    } catch (error) {
      deps.metrics.countCommitFailure();
      deps.log.warn({ err: error, partitions: offsets.length }, 'committing landed offsets failed; the next commit carries them (a restart before then lands them again, deduplicated)');
    }
  }

  return {
    async enqueue(batch) {
      await inFlight;
      const inserted = land(batch);
      inFlight = inserted.then(() => undefined);
      lastCommittable = inserted.then(async (landed) => {
        if (landed !== undefined) {
          recording++;
          try {
            await landed.recorded;
          } finally {
            recording--;
          }
        }
        commitWhenLanded(batch);
      });
      // Awaited by the next enqueue or by settled(); handled here so they are never unhandled meanwhile.
      inFlight.catch(() => undefined);
      lastCommittable.catch(() => undefined);
    },
    landed: () => inFlight.catch(() => undefined),
    settled: async () => {
      await inFlight;
      await lastCommittable;
      await committing;
    },
    commitLanded,
    retainOnly(owned) {
      for (const key of uncommitted.keys()) if (!owned.has(key)) uncommitted.delete(key);
    },
    clear: () => uncommitted.clear(),
    batchesLanding: () => landing,
    batchesRecording: () => recording,
    uncommittedPartitions: () => uncommitted.size,
  };
}
