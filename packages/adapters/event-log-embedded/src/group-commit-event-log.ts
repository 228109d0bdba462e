import { SluiceError, type AppendBatch, type AppendOutcome, type EventLog, type Warehouse } from '@sluice/core';
import { appendRefusal } from './append-refusal.ts';
import { withPayloadsFromBodies } from './payloads-from-bodies.ts';

export interface GroupCommitOptions {
  /** Most events (accepted + quarantined) in one warehouse transaction. */
  maxBatchEvents: number;
  /** Events waiting beyond which `append` refuses with SLUICE_ERR_QUEUE_FULL (backpressure → 503). */
  maxQueuedEvents: number;
  /**
   * The warehouse stores events that came with their request body from the body's bytes and does
   * not read their parsed payloads (DuckDB): hold such payloads as references into the body while
   * they wait, so the parsed objects die young (payloads-from-bodies.ts). Default false.
   */
  payloadsFromBodies?: boolean;
}

export interface GroupCommitObserver {
  onCommit?(info: { requests: number; events: number; durationMs: number; ok: boolean }): void;
}

interface Pending {
  batch: AppendBatch;
  size: number;
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * The embedded EventLog: every request's events go straight into the warehouse, but concurrent
 * requests share transactions. One commit runs at a time; whatever arrives while it runs waits,
 * and all of it goes into the next commit. Each caller is answered when the commit holding its
 * events has returned, so an acknowledgement always means "durable".
 */
export function createGroupCommitEventLog(
  warehouse: Pick<Warehouse, 'append'>,
  options: GroupCommitOptions,
  observer: GroupCommitObserver = {},
): EventLog {
  const queue: Pending[] = [];
  let queued = 0;
  let draining: Promise<void> | null = null;
  let closing = false;

  /** In-flight events count as queued until their commit returns, then callers are answered. */
  async function commit(group: Pending[], size: number): Promise<void> {
    const events = group.flatMap((p) => p.batch.events);
    const quarantine = group.flatMap((p) => p.batch.quarantine);
    // Request bodies travel along (the warehouse may store their bytes); batches without any
    // get a body-less entry so the bodies still line up with `events`.
    const bodies = group.some((p) => p.batch.bodies !== undefined)
      ? group.flatMap((p) => p.batch.bodies ?? [{ json: null, positions: p.batch.events.map((_, i) => i) }])
      : undefined;
    const started = performance.now();
    try {
      const { duplicate } = await warehouse.append({ events, quarantine, ...(bodies ? { bodies } : {}) }).finally(() => { queued -= size; });
      observer.onCommit?.({ requests: group.length, events: events.length + quarantine.length, durationMs: performance.now() - started, ok: true });
      let offset = 0;
      for (const pending of group) {
        const n = pending.batch.events.length;
        pending.resolve({ duplicate: duplicate.slice(offset, offset + n) });
        offset += n;
      }
    } catch (error) {
      observer.onCommit?.({ requests: group.length, events: events.length + quarantine.length, durationMs: performance.now() - started, ok: false });
      const failure = error instanceof SluiceError ? error : new SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE', undefined, { cause: error });
      for (const pending of group) pending.reject(failure);
    }
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const group: Pending[] = [];
      let size = 0;
      while (queue.length > 0 && (group.length === 0 || size + queue[0]!.size <= options.maxBatchEvents)) {
        const next = queue.shift()!;
        group.push(next);
        size += next.size;
      }
      await commit(group, size);
    }
    draining = null;
  }

  function append(batch: AppendBatch): Promise<AppendOutcome> {
    const size = batch.events.length + batch.quarantine.length;
    const refusal = appendRefusal({ closing, queued, maxQueuedEvents: options.maxQueuedEvents }, size);
    if (refusal) return Promise.reject(refusal);
    if (size === 0) return Promise.resolve({ duplicate: [] });
    const waiting = options.payloadsFromBodies ? withPayloadsFromBodies(batch) : batch;
    return new Promise<AppendOutcome>((resolve, reject) => {
      queue.push({ batch: waiting, size, resolve, reject });
      queued += size;
      draining ??= drain();
    });
  }

  return {
    kind: 'embedded',
    append,
    queuedEvents: () => queued,
    async close() {
      closing = true;
      await draining;
    },
  };
}
