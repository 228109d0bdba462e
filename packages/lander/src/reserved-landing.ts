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
}

/**
 * Landing by reservation (docs/decisions/0006, "A second design"): reserve the batch's run of
 * offsets on the sequence topic (its offset `o` numbers the rows `o·span + i`), insert, then record
 * `o` as landed in the warehouse. Only then does the landing queue commit the Kafka offsets. A
 * batch that already has a reservation (one left open by another lander) is landed again under
 * it, with the same numbers and insert token. Each step is retried, with backoff, until it works
 * or a stop gives up: a reservation produced and never recorded only holds the watermark back
 * until a lander that gains the partition lands it again.
 */
export function createReservedLanding(deps: ReservedLandingDeps): (batch: PartitionBatch) => Promise<void> {
  return async function landReserved(batch) {
    if (batch.items.length > deps.ledger.span) {
      throw new SluiceError('SLUICE_ERR_INTERNAL', `a batch of ${batch.items.length} items does not fit one reservation (at most ${deps.ledger.span})`);
    }
    const offset = batch.reservation ?? await retrying('reserving the batch on the sequence topic', () => deps.sequence.reserve({
      topic: batch.topic, partition: batch.partition, firstOffset: batch.records[0]!.offset, lastOffset: batch.records.at(-1)!.offset, events: batch.items.length,
    }));
    deps.inFlight.add(offset);
    try {
      await deps.landBatch(batch, { offset, span: deps.ledger.span });
      await retrying('recording the landed reservation', () => deps.ledger.record([offset]));
    } finally {
      deps.inFlight.delete(offset);
    }
  };

  async function retrying<T>(what: string, step: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (deps.abandon.aborted) throw new LandingAbandoned(what);
      try {
        return await step();
      } catch (error) {
        const delayMs = Math.round(backoffDelay(attempt, deps.retry));
        deps.log.warn({ err: error, attempt: attempt + 1, delayMs }, `${what} failed; retrying`);
        await sleep(delayMs, undefined, { signal: deps.abandon }).catch(() => {
          throw new LandingAbandoned(what);
        });
      }
    }
  }
}
