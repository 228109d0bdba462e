import { setTimeout as sleep } from 'node:timers/promises';
import type { AppendBatch } from '@sluice/core';
import { backoffDelay } from './backoff.ts';
import { refusedItem, type LandingItem, type QuarantineOrigin } from './decode-records.ts';
import type { LanderLog } from './log.ts';
import type { LanderMetrics } from './metrics.ts';
import type { LandingWarehouse, RetryOptions } from './options.ts';
import type { PartitionBatch } from './partition-buffers.ts';
import { numberOf } from './reservations.ts';

export interface BatchLandingDeps {
  warehouse: LandingWarehouse;
  metrics: LanderMetrics;
  log: LanderLog;
  retry: Required<RetryOptions>;
  isolateAfterAttempts: number;
  /** Aborted when a stop gave up waiting: the batch in hand is abandoned, uncommitted, for a replay. */
  abandon: AbortSignal;
  random?: () => number;
}

/**
 * The reservation that numbers a batch: item `i` of the batch (events and quarantine rows counted
 * together, in order) gets `offset·span + i`, whichever half of the batch it is landed in.
 */
export interface BatchNumbering {
  offset: bigint;
  span: number;
}

/** Thrown when the batch was given up at shutdown; its offsets stay uncommitted. */
export class LandingAbandoned extends Error {
  constructor(token: string) {
    super(`gave up landing ${token} at shutdown; it will be landed again from the committed offset`);
    this.name = 'LandingAbandoned';
  }
}

/** The insert deduplication token of a run of offsets: the same messages, the same token, always. */
export function dedupTokenOf(topic: string, partition: number, firstOffset: bigint, lastOffset: bigint): string {
  return `${topic}-${partition}-${firstOffset}-${lastOffset}`;
}

/**
 * The token of a run of items: whole messages get the token of their offsets; a run that starts or
 * ends inside a message (a batch halved to isolate a refused event) names its first and last lines.
 */
export function dedupTokenOfItems(topic: string, partition: number, items: readonly LandingItem[]): string {
  const first = items[0]!;
  const last = items.at(-1)!;
  const token = dedupTokenOf(topic, partition, first.record.offset, last.record.offset);
  return first.line === 0 && last.line === last.lines - 1 ? token : `${token}-lines-${first.line}-${last.line}`;
}

/**
 * Lands one partition batch in the warehouse, and resolves only once the warehouse has it.
 *
 * A failure is retried with the SAME messages and the SAME token, after a capped exponential
 * backoff, for as long as it takes: skipping a batch would lose events, and the token lets the
 * warehouse drop a retry of an insert that had in fact succeeded.
 *
 * A batch the warehouse keeps failing while it answers `ping` is not an outage but a message it
 * refuses (a value out of a column's range, say). Such a batch is split in halves, each landed on
 * its own with its own token, down to the single message, which lands as a quarantine row instead:
 * one bad message costs a few inserts and never blocks its partition.
 */
export function createBatchLanding(deps: BatchLandingDeps): (batch: PartitionBatch, numbering?: BatchNumbering) => Promise<void> {
  return async function landBatch(batch, numbering) {
    await landRange(batch, 0, batch.items, false, numbering);
  };

  /** Lands `items`, which start at item `first` of the batch. */
  async function landRange(batch: PartitionBatch, first: number, items: LandingItem[], suspect: boolean, numbering: BatchNumbering | undefined): Promise<void> {
    const token = dedupTokenOfItems(batch.topic, batch.partition, items);
    let refused = false;
    for (let attempt = 0; ; attempt++) {
      try {
        await appendOnce(items, token, numbering === undefined ? undefined : { ...numbering, first });
        return;
      } catch (error) {
        if (error instanceof LandingAbandoned) throw error;
        deps.metrics.countFailed();
        const attemptsBeforeIsolating = suspect ? 1 : deps.isolateAfterAttempts;
        if (!refused && attempt + 1 >= attemptsBeforeIsolating && (await warehouseAnswers())) {
          if (items.length > 1) {
            deps.log.warn({ err: error, token, messages: items.length }, 'the warehouse answers but refuses this batch: landing it in halves to isolate the messages it refuses');
            const half = Math.ceil(items.length / 2);
            await landRange(batch, first, items.slice(0, half), true, numbering);
            await landRange(batch, first + half, items.slice(half), true, numbering);
            return;
          }
          deps.log.warn({ err: error, token }, 'the warehouse refuses this message: landing it as a quarantine row');
          items = [refusedItem(items[0]!, reasonOf(error))];
          refused = true;
          attempt = -1;
          continue;
        }
        if (deps.abandon.aborted) throw new LandingAbandoned(token);
        const delayMs = Math.round(backoffDelay(attempt, deps.retry, deps.random));
        deps.log.warn({ err: error, token, attempt: attempt + 1, delayMs }, 'landing failed; retrying the same batch');
        deps.metrics.countRetry();
        await sleep(delayMs, undefined, { signal: deps.abandon }).catch(() => {
          throw new LandingAbandoned(token);
        });
      }
    }
  }

  async function appendOnce(items: LandingItem[], token: string, numbering: (BatchNumbering & { first: number }) | undefined): Promise<void> {
    if (deps.abandon.aborted) throw new LandingAbandoned(token);
    const batch: { events: AppendBatch['events'][number][]; quarantine: AppendBatch['quarantine'][number][] } = { events: [], quarantine: [] };
    const seqs: { events: number[]; quarantine: number[] } = { events: [], quarantine: [] };
    const quarantined: Record<QuarantineOrigin, number> = { topic: 0, poison: 0, refused: 0 };
    items.forEach((item, i) => {
      const seq = numbering === undefined ? 0 : numberOf(numbering.offset, numbering.first + i, numbering.span);
      if (item.event !== undefined) {
        batch.events.push(item.event);
        seqs.events.push(seq);
      } else {
        batch.quarantine.push(item.quarantine);
        seqs.quarantine.push(seq);
        quarantined[item.origin]++;
      }
    });
    const options = numbering === undefined ? { dedupToken: token } : { dedupToken: token, seqs };
    const outcome = await unlessAbandoned(deps.warehouse.append(batch, options), token);
    const duplicate = outcome.duplicate.filter(Boolean).length;
    deps.metrics.countLanded({ stored: batch.events.length - duplicate, duplicate, quarantine: quarantined });
  }

  /**
   * An append that hangs (a warehouse that stopped answering without closing the connection) must
   * not hold a shutdown forever: past the deadline the batch is abandoned, uncommitted. The append
   * may still complete later; the replay after a restart is then dropped as a duplicate.
   */
  function unlessAbandoned<T>(work: Promise<T>, token: string): Promise<T> {
    let onAbort = () => {};
    const abandoned = new Promise<never>((_, reject) => {
      onAbort = () => reject(new LandingAbandoned(token));
      deps.abandon.addEventListener('abort', onAbort, { once: true });
    });
    return Promise.race([work, abandoned]).finally(() => deps.abandon.removeEventListener('abort', onAbort));
  }

  async function warehouseAnswers(): Promise<boolean> {
    if (deps.warehouse.ping === undefined) return false;
    try {
      await deps.warehouse.ping();
      return true;
    } catch {
      return false;
    }
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
