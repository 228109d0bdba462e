import { SluiceError, type AppendBatch, type AppendOutcome, type EventLog, type PreparedBody, type QuarantinedEvent, type Warehouse } from '@sluice/core';
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

/** One request's append: events (`append`) or a prepared body (`appendPrepared`); a group holds one kind. */
type Request =
  | { kind: 'batch'; batch: AppendBatch }
  | { kind: 'prepared'; body: PreparedBody | null; quarantine: readonly QuarantinedEvent[] };

interface Pending {
  request: Request;
  /** Entries of the outcome's `duplicate` list. */
  entries: number;
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
  warehouse: Pick<Warehouse, 'append' | 'appendPrepared'>,
  options: GroupCommitOptions,
  observer: GroupCommitObserver = {},
): EventLog {
  const queue: Pending[] = [];
  let queued = 0;
  let draining: Promise<void> | null = null;
  let closing = false;

  /** One warehouse append for the group; its `duplicate` list runs over the requests' entries in order. */
  function store(group: readonly Pending[]): Promise<AppendOutcome> {
    if (group[0]!.request.kind === 'prepared') {
      const prepared = group.map((p) => p.request as Extract<Request, { kind: 'prepared' }>);
      return warehouse.appendPrepared!(prepared.flatMap((r) => (r.body ? [r.body] : [])), prepared.flatMap((r) => r.quarantine));
    }
    const batches = group.map((p) => (p.request as Extract<Request, { kind: 'batch' }>).batch);
    const events = batches.flatMap((b) => b.events);
    const quarantine = batches.flatMap((b) => b.quarantine);
    // Request bodies travel along (the warehouse may store their bytes); batches without any
    // get a body-less entry so the bodies still line up with `events`.
    const bodies = batches.some((b) => b.bodies !== undefined)
      ? batches.flatMap((b) => b.bodies ?? [{ json: null, positions: b.events.map((_, i) => i) }])
      : undefined;
    return warehouse.append({ events, quarantine, ...(bodies ? { bodies } : {}) });
  }

  /** In-flight events count as queued until their commit returns, then callers are answered. */
  async function commit(group: Pending[], size: number): Promise<void> {
    const started = performance.now();
    try {
      const { duplicate } = await store(group).finally(() => { queued -= size; });
      observer.onCommit?.({ requests: group.length, events: size, durationMs: performance.now() - started, ok: true });
      let offset = 0;
      for (const pending of group) {
        pending.resolve({ duplicate: duplicate.slice(offset, offset + pending.entries) });
        offset += pending.entries;
      }
    } catch (error) {
      observer.onCommit?.({ requests: group.length, events: size, durationMs: performance.now() - started, ok: false });
      const failure = error instanceof SluiceError ? error : new SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE', undefined, { cause: error });
      for (const pending of group) pending.reject(failure);
    }
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const group: Pending[] = [];
      let size = 0;
      const kind = queue[0]!.request.kind;
      while (queue.length > 0 && (group.length === 0 || (queue[0]!.request.kind === kind && size + queue[0]!.size <= options.maxBatchEvents))) {
        const next = queue.shift()!;
        group.push(next);
        size += next.size;
      }
      await commit(group, size);
    }
    draining = null;
  }

  function enqueue(request: Request, entries: number, size: number): Promise<AppendOutcome> {
    const refusal = appendRefusal({ closing, queued, maxQueuedEvents: options.maxQueuedEvents }, size);
    if (refusal) return Promise.reject(refusal);
    if (size === 0) return Promise.resolve({ duplicate: [] });
    return new Promise<AppendOutcome>((resolve, reject) => {
      queue.push({ request, entries, size, resolve, reject });
      queued += size;
      draining ??= drain();
    });
  }

  function append(batch: AppendBatch): Promise<AppendOutcome> {
    const size = batch.events.length + batch.quarantine.length;
    // Only events that will wait for a commit need their payloads held as references (an empty batch is answered at once).
    const waiting = options.payloadsFromBodies && size > 0 ? withPayloadsFromBodies(batch) : batch;
    return enqueue({ kind: 'batch', batch: waiting }, batch.events.length, size);
  }

  function appendPrepared(body: PreparedBody | null, quarantine: readonly QuarantinedEvent[]): Promise<AppendOutcome> {
    const entries = body?.count ?? 0;
    return enqueue({ kind: 'prepared', body, quarantine }, entries, entries + quarantine.length);
  }

  return {
    kind: 'embedded',
    append,
    ...(warehouse.appendPrepared ? { appendPrepared } : {}),
    queuedEvents: () => queued,
    async close() {
      closing = true;
      await draining;
    },
  };
}
