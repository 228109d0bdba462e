import { SluiceError } from '@sluice/core';
import type { CheckpointPolicy } from './checkpoints.ts';
import type { DuckDbDatabase } from './database.ts';
import { eventRow, INSERT_EVENTS } from './event-insert.ts';
import { eventsOfRecord, joinRecords, MATERIALIZE_EVENTS } from './ingest-log.ts';
import { eventsOfIngestLogRow, INGEST_LOG_FORMAT, MATERIALIZE_LEGACY_EVENTS } from './legacy-ingest-log.ts';
import { isDataRefused, MaterializeMismatch } from './materialize-errors.ts';
import { ScratchBuffer } from './scratch-buffer.ts';
import type { RecordRef, StagingLog } from './staging-log.ts';
import type { StagingRecord } from './staging-record.ts';

/** The mark committed with every materialising transaction: records up to it are in `events`. */
export const SET_MATERIALIZED_SEQ = 'UPDATE staging_log_mark SET materialized_seq = $1';

export interface MaterializerOptions {
  /** Most events turned into `events` rows per transaction (at least one record). */
  batchEvents: number;
  /** Below this backlog (and below `batchEvents`), steps run only once the writer has been idle for `idleMs`. */
  urgentEvents: number;
  idleMs: number;
  checkpoints: CheckpointPolicy;
}

export interface Materializer {
  /** Registers a record synced to the staging log; the background loop picks it up. */
  staged(record: RecordRef): void;
  /** Acknowledged events still waiting in the staging log. */
  pendingEvents(): number;
  /** Resolves once every row staged before the call is in `events` (cheap when none is pending). */
  catchUp(): Promise<void>;
  /** Finishes the transaction in flight and stops; what is left is materialised at the next open. */
  stop(): Promise<void>;
  stats(): { materializedEvents: number; busyMs: number };
}

/**
 * Moves acknowledged events from the staging log into `events` (docs/decisions/0005, 0010). Each
 * step is ONE DuckDB transaction that inserts the events of the oldest records and sets the mark
 * (`staging_log_mark`) to the last of them, so a crash at any point leaves every event exactly
 * once: still after the mark (replayed at open), or materialised. Segment files are deleted only
 * after that commit. Steps run once `batchEvents` are pending, when the writer has been idle for a
 * moment, when the backlog reaches `urgentEvents`, or when a reader waits in `catchUp`.
 */
export function createMaterializer(db: DuckDbDatabase, log: StagingLog, options: MaterializerOptions): Materializer {
  const pending: RecordRef[] = [];
  let pendingEvents = 0;
  let loop: Promise<void> | null = null;
  let stopped = false;
  let failure: SluiceError | null = null;
  let materializedEvents = 0;
  let busyMs = 0;
  let readersWaiting = 0;
  const joinBuffer = new ScratchBuffer();
  /** Ends the loop's wait for an idle writer early: enough is pending, a reader arrived, or stop(). */
  let wake: (() => void) | null = null;

  function napUntilWoken(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  /** `limit` 0: exactly one record. */
  async function step(limit = options.batchEvents): Promise<void> {
    let events = 0;
    let count = 0;
    let bytes = 0;
    const { version } = pending[0]!;
    for (const ref of pending) {
      if (count > 0 && (events + ref.events > limit || ref.version !== version)) break;
      events += ref.events;
      bytes += ref.bytes;
      count++;
    }
    const refs = pending.slice(0, count);
    const upTo = refs.at(-1)!.seq;
    const started = performance.now();
    const records = await log.read(refs);
    const ok = await db.transaction(async () => {
      const joined = joinRecords(records, joinBuffer);
      const sql = version === 1 ? MATERIALIZE_LEGACY_EVENTS : MATERIALIZE_EVENTS;
      const inserted = await db.runWithBlobs(sql, [joined.bodies, joined.meta]);
      // A body DuckDB's JSON reader sees differently from JSON.parse would not line up with its
      // meta: roll back and let the JS path below take those records one by one.
      if (inserted !== events) throw new MaterializeMismatch(`${inserted} events materialised, ${events} expected`);
      await db.run(SET_MATERIALIZED_SEQ, [upTo]);
      return true;
    }).catch((error: unknown) => {
      if (isDataRefused(error)) return false;
      throw error;
    });
    if (!ok) {
      if (count > 1) {
        // Narrow down: one record per step, so only the offending one takes the slow path.
        for (let i = 0; i < count; i++) await step(0);
        return;
      }
      await materializeInJs(records[0]!);
    }
    busyMs += performance.now() - started;
    pending.splice(0, count);
    pendingEvents -= events;
    materializedEvents += events;
    await log.release(upTo);
    options.checkpoints.wrote(bytes);
    options.checkpoints.maybeCheckpoint(pending.length === 0);
  }

  /** The fallback: parse the record in JS (JSON.parse semantics) and insert its events directly, with the mark. */
  async function materializeInJs(record: StagingRecord): Promise<void> {
    const events = record.version === 1
      ? eventsOfIngestLogRow(INGEST_LOG_FORMAT, record.bodies, record.meta.toString('utf8'))
      : eventsOfRecord(record.bodies, record.meta);
    const rows = events.map((e) => eventRow(e.event, e.seq, e.payload));
    await db.transaction(async () => {
      if (rows.length > 0) await db.run(INSERT_EVENTS, [JSON.stringify(rows)]);
      await db.run(SET_MATERIALIZED_SEQ, [record.seq]);
    });
  }

  function ensureRunning(): Promise<void> {
    loop ??= (async () => {
      try {
        while (pending.length > 0 && !stopped) {
          const idle = db.writerIdleMs();
          const enough = pendingEvents >= Math.min(options.urgentEvents, options.batchEvents);
          if (readersWaiting === 0 && !enough && idle < options.idleMs) {
            await napUntilWoken(options.idleMs - idle);
            continue;
          }
          await step();
        }
        failure = null;
      } catch (error) {
        failure = error instanceof SluiceError ? error : new SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE', undefined, { cause: error });
      } finally {
        loop = null;
      }
    })();
    return loop;
  }

  return {
    staged(record) {
      pending.push(record);
      pendingEvents += record.events;
      if (stopped) return;
      if (pendingEvents >= Math.min(options.urgentEvents, options.batchEvents)) wake?.();
      void ensureRunning();
    },
    pendingEvents: () => pendingEvents,
    async catchUp() {
      const target = pending.at(-1)?.seq;
      if (target === undefined) return;
      readersWaiting++;
      wake?.();
      try {
        while ((pending[0]?.seq ?? Infinity) <= target) {
          if (stopped) throw new SluiceError('SLUICE_ERR_SHUTTING_DOWN');
          await ensureRunning();
          if (failure) throw failure;
        }
      } finally {
        readersWaiting--;
      }
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
    stats: () => ({ materializedEvents, busyMs }),
  };
}
