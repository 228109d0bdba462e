import { SluiceError } from '@sluice/core';
import type { CheckpointPolicy } from './checkpoints.ts';
import type { DuckDbDatabase } from './database.ts';
import { eventRow, INSERT_EVENTS } from './event-insert.ts';
import { eventsOfIngestLogRow, MATERIALIZE_EVENTS } from './ingest-log.ts';

export interface MaterializerOptions {
  /** Most events turned into `events` rows per transaction (at least one ingest_log row). */
  batchEvents: number;
  /** Below this backlog, steps run only once the writer has been idle for `idleMs`. */
  urgentEvents: number;
  idleMs: number;
  checkpoints: CheckpointPolicy;
}

export interface Materializer {
  /** Registers a committed ingest_log row (its bodies' size in bytes); the background loop picks it up. */
  staged(logSeq: number, events: number, bytes: number): void;
  /** Acknowledged events still waiting in ingest_log. */
  pendingEvents(): number;
  /** Resolves once every row staged before the call is in `events` (cheap when none is pending). */
  catchUp(): Promise<void>;
  /** Finishes the transaction in flight and stops; what is left is materialised at the next open. */
  stop(): Promise<void>;
  stats(): { materializedEvents: number; busyMs: number };
}

/**
 * Moves acknowledged events from ingest_log into `events` inside DuckDB (docs/decisions/0005). Each
 * step is ONE transaction that inserts the events of the oldest rows and deletes those rows, so a
 * crash at any point leaves every event exactly once: still staged, or materialised. Steps go
 * through the same serialized writer as the group commits, so a step delays the next commit by at
 * most one step. Acknowledging comes first: steps run when the writer has been idle for a moment,
 * when the backlog reaches `urgentEvents`, or when a reader waits in `catchUp`.
 */
export function createMaterializer(db: DuckDbDatabase, options: MaterializerOptions): Materializer {
  const pending: Array<{ logSeq: number; events: number; bytes: number }> = [];
  let pendingEvents = 0;
  let loop: Promise<void> | null = null;
  let stopped = false;
  let failure: SluiceError | null = null;
  let materializedEvents = 0;
  let busyMs = 0;
  let readersWaiting = 0;
  /** Ends the loop's wait for an idle writer early: a reader arrived, or stop(). */
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

  /** `limit` 0: exactly one row. */
  async function step(limit = options.batchEvents): Promise<void> {
    let upTo = 0;
    let events = 0;
    let rows = 0;
    let bytes = 0;
    for (const row of pending) {
      if (rows > 0 && events + row.events > limit) break;
      upTo = row.logSeq;
      events += row.events;
      bytes += row.bytes;
      rows++;
    }
    const started = performance.now();
    const ok = await db.transaction(async () => {
      const inserted = await db.run(MATERIALIZE_EVENTS, [upTo]);
      // A body DuckDB's JSON reader sees differently from JSON.parse would not line up with its
      // meta: roll back and let the JS path below take those rows one by one.
      if (inserted !== events) throw new MaterializeMismatch(`${inserted} events materialised, ${events} expected`);
      await db.run('DELETE FROM ingest_log WHERE log_seq <= $1', [upTo]);
      return true;
    }).catch((error: unknown) => {
      if (error instanceof MaterializeMismatch || isInvalidInput(error)) return false;
      throw error;
    });
    if (!ok) {
      if (rows > 1) {
        // Narrow down: one row per step, so only the offending row takes the slow path.
        for (let i = 0; i < rows; i++) await step(0);
        return;
      }
      await materializeInJs(upTo);
    }
    busyMs += performance.now() - started;
    pending.splice(0, rows);
    pendingEvents -= events;
    materializedEvents += events;
    options.checkpoints.wrote(bytes);
    options.checkpoints.maybeCheckpoint(pending.length === 0);
  }

  /** The fallback and the reader of older formats: parse the row in JS (JSON.parse semantics) and insert directly. */
  async function materializeInJs(logSeq: number): Promise<void> {
    await db.transaction(async () => {
      const [row] = await db.writeQuery<{ format: number; bodies: Uint8Array; meta: string }>(
        'SELECT format, bodies, meta FROM ingest_log WHERE log_seq = $1', [logSeq]);
      if (row) {
        const rows = eventsOfIngestLogRow(row.format, row.bodies, row.meta).map((e) => eventRow(e.event, e.seq, e.payload));
        if (rows.length > 0) await db.run(INSERT_EVENTS, [JSON.stringify(rows)]);
      }
      await db.run('DELETE FROM ingest_log WHERE log_seq = $1', [logSeq]);
    });
  }

  function ensureRunning(): Promise<void> {
    loop ??= (async () => {
      try {
        while (pending.length > 0 && !stopped) {
          const idle = db.writerIdleMs();
          if (readersWaiting === 0 && pendingEvents < options.urgentEvents && idle < options.idleMs) {
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
    staged(logSeq, events, bytes) {
      pending.push({ logSeq, events, bytes });
      pendingEvents += events;
      if (!stopped) void ensureRunning();
    },
    pendingEvents: () => pendingEvents,
    async catchUp() {
      const target = pending.at(-1)?.logSeq;
      if (target === undefined) return;
      readersWaiting++;
      wake?.();
      try {
        while ((pending[0]?.logSeq ?? Infinity) <= target) {
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

class MaterializeMismatch extends Error {}

/** DuckDB's "Invalid Input Error" (malformed JSON, bad UTF-8): the data, not the engine. */
function isInvalidInput(error: unknown): boolean {
  const cause = error instanceof SluiceError ? error.cause : error;
  return cause instanceof Error && /Invalid Input Error|Conversion Error/.test(cause.message);
}

