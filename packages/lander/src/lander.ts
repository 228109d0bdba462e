import { setImmediate } from 'node:timers/promises';
import { SluiceError } from '@sluice/core';
import type { Registry } from 'prom-client';
import { backoffDelay } from './backoff.ts';
import { openConsumption, type Consumption, type LanderMessage } from './consumption.ts';
import { decodeRecord, type KafkaRecord } from './decode-records.ts';
import { createLagMonitor } from './lag-monitor.ts';
import { createBatchLanding, LandingAbandoned } from './land-batch.ts';
import { createStderrLog, type LanderLog } from './log.ts';
import { createLanderMetrics } from './metrics.ts';
import { resolveLanderOptions, type LanderOptions, type LandingWarehouse } from './options.ts';
import { createLandingQueue } from './landing-queue.ts';
import { partitionKey, PartitionBuffers } from './partition-buffers.ts';
import { PartitionOffsets } from './partition-offsets.ts';
import { createReservationNumbering } from './reservation-numbering.ts';

export interface LanderDeps {
  warehouse: LandingWarehouse;
  /** Registry to add the lander's metrics to; a registry of its own when omitted. */
  metrics?: Registry;
  log?: LanderLog;
}

export interface Lander {
  /** Joins the consumer group and starts landing; resolves once consuming. */
  start(): Promise<void>;
  /** Graceful: stops reading, lands and commits what is in hand (bounded by shutdownTimeoutMs), leaves the group. */
  stop(): Promise<void>;
  /** Last measured consumer lag per owned partition, keyed `topic:partition`. */
  lag(): Record<string, number>;
  /** What the lander holds right now, for health checks and tests. */
  status(): LanderStatus;
  /** Settles when the lander has stopped: resolves after `stop`, rejects if it failed on its own. */
  finished(): Promise<void>;
  readonly registry: Registry;
}

export interface LanderStatus {
  /** Partitions this lander owns, `topic:partition`. */
  partitions: string[];
  /** Messages read and not yet handed to the warehouse. */
  messagesInHand: number;
  /** Batches being landed (retries included), from reservation to recording; 0 when none. */
  batchesLanding: number;
  /** Partitions with landed offsets Kafka has not confirmed yet. */
  uncommittedPartitions: number;
}

/** The longest the read loop runs before letting the event loop handle other work (warehouse replies). */
const YIELD_AFTER_MS = 1;

/** The stream skipped offsets Kafka still has: read again from the committed offsets. */
class ResyncNeeded extends Error {}

/**
 * `sluice land`: a consumer group that moves the events and quarantine topics into the warehouse.
 *
 * Messages are gathered per partition and landed as one warehouse append per partition batch
 * (maxBatchEvents, or maxWaitMs after the oldest; the end of a backlog as soon as the warehouse is
 * free), with the deduplication token `topic-partition-firstOffset-lastOffset`; the batch's offsets
 * are committed only after the append resolved. So a crash between the two, a retry, or a replay
 * lands the same messages again, which the warehouse drops (ClickHouse: the token and
 * ReplacingMergeTree on the event key; DuckDB: the event id), and nothing is committed that the
 * warehouse does not have.
 */
export function createLander(options: LanderOptions, deps: LanderDeps): Lander {
  const settings = resolveLanderOptions(options);
  const log = deps.log ?? createStderrLog();
  const metrics = createLanderMetrics(deps.metrics);
  const buffers = new PartitionBuffers();
  const abandon = new AbortController();
  const landNumbered = createBatchLanding({
    warehouse: deps.warehouse, metrics, log, retry: settings.retry, isolateAfterAttempts: settings.isolateAfterAttempts,
    abandon: abandon.signal,
  });
  /** Numbering by reservation when the warehouse keeps a ledger of them (decision 0006); otherwise batches land as they are. */
  const numbering = createReservationNumbering({
    ledger: deps.warehouse.reservations, landNumbered, enqueue: (batch) => landings.enqueue(batch), owns: (key) => owned.has(key),
    settings, log, abandon: abandon.signal,
  });
  const lagMonitor = createLagMonitor({
    consumer: () => consumption?.consumer, topics: [settings.topic, settings.quarantineTopic], metrics, log, intervalMs: settings.lagIntervalMs,
  });
  let consumption: Consumption | undefined;
  const landings = createLandingQueue({ landBatch: numbering.landBatch, committer: () => consumption?.commit, metrics, log });
  let owned = new Set<string>();
  const offsets = new PartitionOffsets();
  let rebalanced = false;
  let stopping = false;
  let lastResyncGap: string | undefined;
  const stopController = new AbortController();
  const stopRequested = new Promise<'stop'>((resolve) => stopController.signal.addEventListener('abort', () => resolve('stop'), { once: true }));
  let running: Promise<void> | undefined;
  const onRebalance = () => {
    rebalanced = true;
  };

  async function run(): Promise<void> {
    try {
      while (!stopping) {
        try {
          await consume(consumption!);
        } catch (error) {
          if (stopping) break;
          log.warn({ err: error }, 'reading from Kafka failed; reconnecting to read again from the committed offsets');
          await reconnect();
        }
      }
      await landEverythingInHand();
    } finally {
      lagMonitor.stop();
      numbering.stopWatchingForStalls();
      await consumption?.close().catch((error: unknown) => log.warn({ err: error }, 'leaving the consumer group failed'));
      await numbering.close();
    }
  }

  /** Reads until stopped; throws when the stream fails or must be re-read. */
  async function consume(current: Consumption): Promise<void> {
    const messages = current.stream[Symbol.asyncIterator]();
    let next: Promise<IteratorResult<LanderMessage>> | undefined;
    let busySince = performance.now();
    for (;;) {
      if (stopping) return;
      if (rebalanced) await adoptAssignment(current);
      if (numbering.takeLookForOpenRequest()) await numbering.landOpen();
      const deadline = buffers.nextDeadline(settings.maxWaitMs);
      if (deadline !== undefined && Date.now() >= deadline) {
        await landDue();
        continue;
      }
      // Every fetched message read and the warehouse free: a backlog that reached the end of its partition lands now.
      if (current.stream.readableLength === 0 && landings.batchesLanding() === 0) {
        const ready = await backlogAtEnd(current);
        if (ready !== undefined) {
          await landPartition(ready);
          continue;
        }
      }
      if (next === undefined) {
        next = messages.next();
        // Handled here so a stream failure while a batch is being landed is not an unhandled rejection.
        next.catch(() => undefined);
      }
      const wake = backlogWaitsForLanding() ? landings.landed() : numbering.wake();
      const result = current.stream.readableLength > 0 ? await next : await firstOf(next, deadline, wake);
      if (result === 'stop') return;
      if (result === 'timeout') continue;
      next = undefined;
      if (result.done === true) throw new Error('the Kafka message stream ended');
      await receive(current, result.value);
      // Buffered messages resolve `next` at once, so this loop could decode a whole fetch without
      // letting the event loop run; the warehouse's replies to the batch in flight would wait for it.
      if (performance.now() - busySince >= YIELD_AFTER_MS) {
        await setImmediate();
        busySince = performance.now();
      }
    }
  }

  async function receive(current: Consumption, message: LanderMessage): Promise<void> {
    // The rebalance may have completed while this message was awaited: judge it by the new assignment.
    if (rebalanced) await adoptAssignment(current);
    const key = partitionKey(message.topic, message.partition);
    // Fetched before a rebalance gave the partition to another lander: theirs to land now.
    if (!owned.has(key)) return;
    if (!buffers.has(key)) {
      const committedStart = await offsets.start(current, message.topic, message.partition, message.offset);
      buffers.start(message.topic, message.partition, numbering.startOffset(key, committedStart));
    }
    const record: KafkaRecord = {
      topic: message.topic, partition: message.partition, offset: message.offset, timestamp: message.timestamp,
      value: message.value, headers: message.headers,
    };
    // Decoded now, while the previous batch is being landed, rather than when this one lands.
    const decoded = { record, items: decodeRecord(record, settings.quarantineTopic) };
    const now = Date.now();
    const outcome = buffers.offer(decoded, message.leaderEpoch, now);
    if (outcome.kind === 'gap') {
      const gap = `${key}:${outcome.expected}-${record.offset}`;
      const logStart = await current.logStartOffset(record.topic, record.partition);
      // Retention deleted them, or the same gap came back after reading again (compaction,
      // transaction markers): Kafka has nothing there to land.
      if (logStart < record.offset && gap !== lastResyncGap) {
        lastResyncGap = gap;
        throw new ResyncNeeded(`expected offset ${outcome.expected} of ${key} but received ${record.offset}, and Kafka still has offsets in between`);
      }
      log.warn({ partition: key, expected: String(outcome.expected), received: String(record.offset) }, 'offsets missing from the partition (deleted by retention?); continuing after them');
      buffers.acceptGap(decoded, message.leaderEpoch, now);
    }
    if (buffers.events(key) >= settings.maxBatchEvents) await landPartition(key);
  }

  /** A backlog in hand is looked at again once the batch in flight is landed. */
  function backlogWaitsForLanding(): boolean {
    return landings.batchesLanding() > 0 && buffers.backlogs(Date.now(), settings.maxWaitMs).length > 0;
  }

  /**
   * The partition with the oldest backlog in hand whose messages reach the end of the partition, if
   * any. One that has more coming waits for it (or maxWaitMs): landing it now would make small batches.
   */
  async function backlogAtEnd(current: Consumption): Promise<string | undefined> {
    for (const backlog of buffers.backlogs(Date.now(), settings.maxWaitMs)) {
      try {
        if (await offsets.atEnd(current, backlog)) return backlog.key;
      } catch (error) {
        log.debug({ err: error, partition: backlog.key }, 'could not read the end of the partition; its backlog waits for maxWaitMs');
      }
    }
    return undefined;
  }

  async function landDue(): Promise<void> {
    for (const key of buffers.due(Date.now(), settings.maxWaitMs)) await landPartition(key);
  }

  async function landPartition(key: string): Promise<void> {
    const batch = buffers.take(key, settings.maxBatchEvents, Date.now());
    if (batch === undefined) return;
    // Its reservation is produced while the batch before it is still being inserted.
    numbering.prepare(batch);
    await landings.enqueue(batch);
  }

  /**
   * After a rebalance: forget the partitions given away (their new owner reads them from the
   * committed offset); having gained any, land again the reservations other landers left open.
   */
  async function adoptAssignment(current: Consumption): Promise<void> {
    rebalanced = false;
    const assigned = (current.consumer.assignments ?? []).flatMap((a) => a.partitions.map((partition) => ({ topic: a.topic, partition })));
    const previous = owned;
    owned = new Set(assigned.map(({ topic, partition }) => partitionKey(topic, partition)));
    const dropped = buffers.retainOnly(owned);
    landings.retainOnly(owned);
    numbering.forgetPartitionsNotIn(owned);
    offsets.reset(current, assigned.filter(({ topic, partition }) => !buffers.has(partitionKey(topic, partition))));
    log.info({ partitions: [...owned].sort(), droppedInHand: dropped }, 'partitions assigned');
    lagMonitor.refresh().catch(() => undefined);
    if ([...owned].some((key) => !previous.has(key))) await numbering.landOpen();
  }

  /** Replaces the consumer after a failure, with backoff, until it works or the lander stops. */
  async function reconnect(): Promise<void> {
    metrics.countReconnect();
    await landings.settled().catch(() => undefined);
    await landings.commitLanded();
    await consumption?.close().catch(() => undefined);
    consumption = undefined;
    offsets.reset(undefined);
    buffers.clear();
    landings.clear();
    owned = new Set();
    for (let attempt = 0; !stopping; attempt++) {
      const stopped = await firstOf(new Promise<never>(() => {}), Date.now() + backoffDelay(attempt, settings.retry));
      if (stopped === 'stop') return;
      try {
        // A stop does not wait for the brokers to come back: the attempt is cancelled and cleans up after itself.
        const opening = openConsumption(settings, onRebalance, stopController.signal);
        const opened = await firstOf(opening, undefined);
        if (opened === 'stop' || opened === 'timeout') {
          opening.then((late) => late.close(), () => undefined).catch(() => undefined);
          return;
        }
        consumption = opened;
        rebalanced = true;
        return;
      } catch (error) {
        log.warn({ err: error, attempt: attempt + 1 }, 'reconnecting to Kafka failed');
      }
    }
  }

  /** At stop: every partition's messages in hand are landed and committed, unless the shutdown deadline passes. */
  async function landEverythingInHand(): Promise<void> {
    if (consumption === undefined) return;
    try {
      for (const key of buffers.pending()) while (buffers.size(key) > 0) await landPartition(key);
      await landings.settled();
    } catch (error) {
      if (!(error instanceof LandingAbandoned)) throw error;
      log.warn({ err: error }, 'stopped before the warehouse took every batch in hand; the rest is landed again after a restart');
    }
    await landings.commitLanded();
  }

  /**
   * Resolves with the message, 'timeout' at the deadline or when `wake` settles (time to look
   * again), or 'stop' when a stop is requested.
   */
  async function firstOf<T>(work: Promise<T>, deadline: number | undefined, wake?: Promise<unknown>): Promise<T | 'timeout' | 'stop'> {
    let timer: NodeJS.Timeout | undefined;
    const candidates: Promise<T | 'timeout' | 'stop'>[] = [work, stopRequested];
    if (wake !== undefined) candidates.push(wake.then(() => 'timeout' as const, () => 'timeout' as const));
    if (deadline !== undefined) candidates.push(new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now())))));
    try {
      return await Promise.race(candidates);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    registry: metrics.registry,
    async start() {
      if (running !== undefined) throw new Error('the lander was already started');
      try {
        await numbering.open();
        consumption = await openConsumption(settings, onRebalance);
      } catch (error) {
        lagMonitor.stop();
        numbering.stopWatchingForStalls();
        await numbering.close();
        const reason = error instanceof Error ? error.message : String(error);
        throw new SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE', `Kafka is unavailable at ${settings.brokers.join(', ')}: ${reason}`, { cause: error });
      }
      rebalanced = true;
      running = run();
      running.catch((error: unknown) => log.error({ err: error }, 'the lander stopped on an error'));
      log.info({ groupId: settings.groupId, topics: [settings.topic, settings.quarantineTopic] }, 'landing from Kafka');
    },
    async stop() {
      if (running === undefined) return;
      if (!stopping) {
        stopping = true;
        stopController.abort();
      }
      const giveUp = setTimeout(() => abandon.abort(), settings.shutdownTimeoutMs);
      try {
        await running;
      } finally {
        clearTimeout(giveUp);
      }
    },
    lag: () => lagMonitor.lag(),
    status: () => ({
      partitions: [...owned].sort(),
      messagesInHand: buffers.inHand(),
      batchesLanding: landings.batchesLanding() + landings.batchesRecording(),
      uncommittedPartitions: landings.uncommittedPartitions(),
    }),
    finished: () => running ?? Promise.reject(new Error('the lander was not started')),
  };
}
