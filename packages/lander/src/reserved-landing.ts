import { setTimeout as sleep } from 'node:timers/promises';
import { SluiceError } from '@sluice/core';
import { backoffDelay } from './backoff.ts';
import { LandingAbandoned, type BatchNumbering } from './land-batch.ts';
import type { LanderLog } from './log.ts';
import type { LandedReservations, RetryOptions } from './options.ts';
import type { PartitionBatch } from './partition-buffers.ts';
import type { SequenceTopic } from './sequence-topic.ts';

export interface ReservedLandingDeps {
  landBatch: (batch: PartitionBatch, numbering?: BatchNumbering) => Promise<void>;
  sequence: Pick<SequenceTopic, 'reserve'>;
  ledger: Pick<LandedReservations, 'span' | 'record'>;
  log: LanderLog;
  retry: Required<RetryOptions>;
  abandon: AbortSignal;
  /** Reservations this lander is landing right now (a scan must not take them for abandoned ones). */
  inFlight: Set<bigint>;
  /**
   * Called when producing a reservation failed: the broker may have written it all the same (a
   * timeout), leaving a reservation nobody lands; the lander then looks for open ones.
   */
  onReserveFailed?: () => void;
}

/** What a landing hands the landing queue: the batch is inserted; `recorded` settles once it may be committed. */
export interface Inserted {
  recorded: Promise<void>;
}

export interface ReservedLanding {
  /**
   * Starts reserving the batch now, while the batch before it is still being inserted (the batch
   * is landed next whatever happens meanwhile; one abandoned at stop leaves its reservation open
   * for a re-landing).
   */
  prepare(batch: PartitionBatch): void;
  /** Reserves (unless prepared or already reserved), inserts, and starts recording; resolves once inserted. */
  land(batch: PartitionBatch): Promise<Inserted>;
}

/**
 * Landing by reservation (docs/decisions/0006, "A second design"): reserve the batch's run of
 * offsets on the sequence topic (its offset `o` numbers the rows `o·span + i`), insert, then record
 * `o` as landed in the warehouse. Only then does the landing queue commit the Kafka offsets; the
 * next batch's insert does not wait for the recording (records are written one after the other,
 * in landing order). A batch that already has a reservation (one left open by another lander) is
 * landed again under it, with the same numbers and insert token. Each step is retried, with
 * backoff, until it works or a stop gives up: a reservation produced and never recorded only holds
 * the watermark back until a lander that gains the partition lands it again.
 */
export function createReservedLanding(deps: ReservedLandingDeps): ReservedLanding {
  const prepared = new WeakMap<PartitionBatch, Promise<bigint>>();
  let recording: Promise<void> = Promise.resolve();

  function reserve(batch: PartitionBatch): Promise<bigint> {
    if (batch.items.length > deps.ledger.span) {
      return Promise.reject(new SluiceError('SLUICE_ERR_INTERNAL', `a batch of ${batch.items.length} items does not fit one reservation (at most ${deps.ledger.span})`));
    }
    return retrying('reserving the batch on the sequence topic', () => deps.sequence.reserve({
      topic: batch.topic, partition: batch.partition, firstOffset: batch.records[0]!.offset, lastOffset: batch.records.at(-1)!.offset, events: batch.items.length,
    }), deps.onReserveFailed);
  }

  return {
    prepare(batch) {
      if (batch.reservation !== undefined || prepared.has(batch)) return;
      const offset = reserve(batch);
      // Its own from the start: a scan meanwhile must not take it for one left open.
      offset.then((o) => deps.inFlight.add(o), () => undefined); // a failure is awaited by land()
      prepared.set(batch, offset);
    },
    async land(batch) {
      const offset = batch.reservation ?? await (prepared.get(batch) ?? reserve(batch));
      deps.inFlight.add(offset);
      try {
        await deps.landBatch(batch, { offset, span: deps.ledger.span });
      } catch (error) {
        deps.inFlight.delete(offset);
        throw error;
      }
      const recorded = recording.then(() => retrying('recording the landed reservation', () => deps.ledger.record([offset])))
        .finally(() => deps.inFlight.delete(offset));
      recording = recorded.catch(() => undefined);
      return { recorded };
    },
  };

  async function retrying<T>(what: string, step: () => Promise<T>, onFailure?: () => void): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (deps.abandon.aborted) throw new LandingAbandoned(what);
      try {
        return await step();
      } catch (error) {
        onFailure?.();
        const delayMs = Math.round(backoffDelay(attempt, deps.retry));
        deps.log.warn({ err: error, attempt: attempt + 1, delayMs }, `${what} failed; retrying`);
        await sleep(delayMs, undefined, { signal: deps.abandon }).catch(() => {
          throw new LandingAbandoned(what);
        });
      }
    }
  }
}
