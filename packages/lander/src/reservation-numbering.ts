import type { LanderLog } from './log.ts';
import type { LandBatch } from './landing-queue.ts';
import type { LandedReservations, ResolvedLanderOptions } from './options.ts';
import { partitionKey, type PartitionBatch } from './partition-buffers.ts';
import { findOpenReservations } from './reland-open.ts';
import { createReservedLanding, type ReservedLandingDeps } from './reserved-landing.ts';
import { paddingNeeded } from './reservations.ts';
import { openSequenceTopic, type SequenceTopic } from './sequence-topic.ts';
import { watchForStalls } from './stall-watch.ts';

export interface ReservationNumberingDeps {
  /** The warehouse's ledger of landed reservations; undefined when the warehouse numbers rows itself (DuckDB). */
  ledger: LandedReservations | undefined;
  /** Inserts a batch, numbered when given its numbering. */
  landNumbered: ReservedLandingDeps['landBatch'];
  /** The landing queue's `enqueue`: open reservations are landed again through it, in turn with the lander's own batches. */
  enqueue: (batch: PartitionBatch) => Promise<void>;
  /** Whether the lander owns the partition `topic:partition` right now. */
  owns: (key: string) => boolean;
  settings: Pick<ResolvedLanderOptions,
    'retry' | 'quarantineTopic' | 'brokers' | 'clientId' | 'groupId' | 'sequenceTopic' | 'sequenceReplicationFactor' | 'startupTimeoutMs' | 'stallCheckMs'>;
  log: LanderLog;
  /** Aborted when a stop gives up on the landing in flight. */
  abandon: AbortSignal;
}

export interface ReservationNumbering {
  /** Lands a batch: under its reservation when the warehouse numbers by reservation, else as it is. */
  landBatch: LandBatch;
  /** Starts producing the batch's reservation while the batch before it is still being inserted. */
  prepare(batch: PartitionBatch): void;
  /**
   * Before the first batch: the sequence topic exists, and reservation numbers start above every
   * number the warehouse handed out before (padding reservations, recorded at once).
   */
  open(): Promise<void>;
  /**
   * Reservations of owned partitions that no lander recorded as landed (their lander died or lost
   * the partition in between) are landed again, ahead of this lander's own batches; throws (the
   * stream is read again after a reconnect, which repeats this) when Kafka or the warehouse fails.
   */
  landOpen(): Promise<void>;
  /**
   * Whether a failed reservation produce or a stall asked for a look for open reservations since
   * the last call (the read loop then calls `landOpen`); clears the request.
   */
  takeLookForOpenRequest(): boolean;
  /** Settles when open reservations may exist (a read loop waiting for messages wakes up); undefined without reservations. */
  wake(): Promise<void> | undefined;
  /** Where a partition's stream starts: its committed offset, or past the open reservations landed again. */
  startOffset(key: string, committedStart: bigint): bigint;
  /** After a rebalance: forgets what was landed again in partitions given away. */
  forgetPartitionsNotIn(owned: ReadonlySet<string>): void;
  stopWatchingForStalls(): void;
  /** Closes the sequence topic, if it was opened. */
  close(): Promise<void>;
}

/**
 * Numbering by reservation (docs/decisions/0006, "A second design"), the part of the lander that
 * exists only when the warehouse takes its numbers from the landers (ClickHouse, where several
 * landers may share one warehouse). It owns the sequence topic, the reservations this lander is
 * landing, the watch for reservations left open by a dead lander, and the landing again of open
 * reservations when partitions are gained or a reservation produce failed. Without a ledger
 * (DuckDB) every batch lands as it is and the rest does nothing.
 */
export function createReservationNumbering(deps: ReservationNumberingDeps): ReservationNumbering {
  const { ledger, settings, log } = deps;
  /** Only when the warehouse numbers by reservation (several landers may share it). */
  let sequence: SequenceTopic | undefined;
  const reservationsInFlight = new Set<bigint>();
  /** A reservation produce failed (it may have been written nonetheless): look for open ones at the next turn of the read loop. */
  let openReservationsMayExist = false;
  /** Resolved (and replaced) when open reservations may exist: wakes a read loop waiting for messages. */
  let poke = Promise.withResolvers<void>();
  const lookForOpenReservations = () => {
    openReservationsMayExist = true;
    poke.resolve();
    poke = Promise.withResolvers<void>();
  };
  let stallWatch: { stop(): void } | undefined;
  const landReserved = ledger === undefined ? undefined : createReservedLanding({
    landBatch: deps.landNumbered, sequence: { reserve: (r) => sequence!.reserve(r) }, ledger, log, retry: settings.retry, abandon: deps.abandon,
    inFlight: reservationsInFlight, onReserveFailed: lookForOpenReservations,
  });
  /** Per partition, the offset below which open reservations were landed again: the stream skips those. */
  const relandedBelow = new Map<string, bigint>();

  async function landOpen(): Promise<void> {
    if (ledger === undefined || sequence === undefined) return;
    const open = await findOpenReservations({
      sequence, ledger, owns: (topic, partition) => deps.owns(partitionKey(topic, partition)), inFlight: reservationsInFlight,
      quarantineTopic: settings.quarantineTopic,
    });
    if (open.padding.length > 0) await ledger.record(open.padding);
    for (const batch of open.batches) {
      const key = partitionKey(batch.topic, batch.partition);
      const next = batch.records.at(-1)!.offset + 1n;
      if (next > (relandedBelow.get(key) ?? 0n)) relandedBelow.set(key, next);
      log.info({ partition: key, reservation: String(batch.reservation), messages: batch.records.length }, 'landing again a reservation another lander left open');
      await deps.enqueue(batch);
    }
  }

  return {
    landBatch: (batch) => (landReserved === undefined ? deps.landNumbered(batch) : landReserved.land(batch)),
    prepare(batch) {
      landReserved?.prepare(batch);
    },
    async open() {
      if (ledger === undefined) return;
      sequence = await openSequenceTopic({
        brokers: settings.brokers, clientId: settings.clientId, groupId: settings.groupId, topic: settings.sequenceTopic,
        replicationFactor: settings.sequenceReplicationFactor, startupTimeoutMs: settings.startupTimeoutMs,
      });
      const padding = paddingNeeded(await sequence.end(), await ledger.highestNumber(), ledger.span);
      const offsets: bigint[] = [];
      for (let i = 0; i < padding; i++) offsets.push(await sequence.reserve(undefined));
      await ledger.record(offsets);
      stallWatch = watchForStalls({ ledger, inFlight: reservationsInFlight, intervalMs: settings.stallCheckMs, onStall: lookForOpenReservations, log });
    },
    landOpen,
    takeLookForOpenRequest() {
      if (!openReservationsMayExist) return false;
      openReservationsMayExist = false;
      return true;
    },
    wake: () => (ledger === undefined ? undefined : poke.promise),
    startOffset(key, committedStart) {
      const relanded = relandedBelow.get(key) ?? 0n;
      return relanded > committedStart ? relanded : committedStart;
    },
    forgetPartitionsNotIn(owned) {
      for (const key of relandedBelow.keys()) if (!owned.has(key)) relandedBelow.delete(key);
    },
    stopWatchingForStalls() {
      stallWatch?.stop();
    },
    async close() {
      await sequence?.close();
    },
  };
}
