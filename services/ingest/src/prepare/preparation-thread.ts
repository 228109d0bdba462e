import { SluiceError, type ErrorCode } from '@sluice/core';
import { Worker } from 'node:worker_threads';
import type { PrepareContext, PreparedBatch } from './prepare-batch.ts';

/** What the preparation thread needs besides the schemas, which it compiles itself. */
export interface PreparationSettings {
  maxEventsPerBatch: number;
  maxFutureSkewMs: number;
  /**
   * Bytes of request bodies sent to the thread and not yet prepared beyond which `prepare`
   * refuses with SLUICE_ERR_QUEUE_FULL (503): the thread's queue is memory like the write queue.
   */
  maxWaitingBytes: number;
}

export type ToPreparation = { id: number; json: Uint8Array; context: PrepareContext };

export type FromPreparation =
  | { ready: true }
  | { id: number; batch: PreparedBatch }
  | { id: number; error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };

/**
 * The ingest thread's side of the preparation thread (prepare-worker.ts, docs/decisions/0020):
 * JSON.parse, validation, enrichment and building the store's staging form cost the ingest thread
 * about half of its CPU per event, and it was the embedded store's bottleneck. The body's bytes
 * move to the thread and the prepared bytes move back; neither side copies them.
 */
export interface PreparationThread {
  /** The body prepared; rejects with the SluiceError a malformed batch gets (400, 413). */
  prepare(json: Buffer, context: PrepareContext): Promise<PreparedBatch>;
  /** Bytes of bodies sent to the thread and not yet prepared (the 503 limit is settings.maxWaitingBytes). */
  waitingBytes(): number;
  /** Ends the thread; call once every request has been answered. */
  close(): Promise<void>;
}

/**
 * Starts the thread and waits until it has compiled the schemas. A thread that dies fails the
 * requests it held (500 SLUICE_ERR_INTERNAL, nothing stored) and is replaced for the next body.
 * `workerUrl` is the thread's module (tests swap in one that fails on purpose).
 */
export async function startPreparationThread(settings: PreparationSettings, workerUrl = new URL('./prepare-worker.ts', import.meta.url)): Promise<PreparationThread> {
  const pending = new Map<number, { bytes: number; resolve: (batch: PreparedBatch) => void; reject: (error: unknown) => void }>();
  let waitingBytes = 0;
  let nextId = 0;
  let closed = false;
  let current = spawn();
  await current;

  /** A thread that has compiled the schemas; one that dies fails its requests and is replaced. */
  function spawn(): Promise<Worker> {
    const thread = new Worker(workerUrl, { workerData: settings });
    thread.unref();
    let started = false;
    const ready = new Promise<Worker>((resolve, reject) => {
      thread.on('message', (message: FromPreparation) => {
        if ('ready' in message) {
          started = true;
          return resolve(thread);
        }
        const request = pending.get(message.id);
        pending.delete(message.id);
        waitingBytes -= request?.bytes ?? 0;
        if ('batch' in message) request?.resolve(message.batch);
        else request?.reject(new SluiceError(message.error.code, message.error.message, message.error.details ? { details: message.error.details } : undefined));
      });
      thread.once('error', reject);
      thread.once('exit', (code) => {
        reject(new Error(`the preparation thread exited with code ${code}`));
        for (const request of pending.values()) {
          waitingBytes -= request.bytes;
          request.reject(new SluiceError('SLUICE_ERR_INTERNAL', 'the preparation thread stopped; nothing of this request was stored'));
        }
        pending.clear();
        // A thread that never started would fail again: its error answers the requests from now on.
        if (!closed && started) current = spawn();
      });
    });
    ready.catch(() => {}); // a start that fails is reported to the requests that wait for it
    return ready;
  }

  return {
    async prepare(json, context) {
      if (waitingBytes > 0 && waitingBytes + json.length > settings.maxWaitingBytes) {
        throw new SluiceError('SLUICE_ERR_QUEUE_FULL', 'too many request bodies are waiting to be parsed; nothing was stored, retry later',
          { details: { waiting_bytes: waitingBytes } });
      }
      const bytes = json.length;
      waitingBytes += bytes;
      const worker = await current.catch((error: unknown) => {
        waitingBytes -= bytes;
        throw error;
      });
      const id = nextId++;
      const result = new Promise<PreparedBatch>((resolve, reject) => pending.set(id, { bytes, resolve, reject }));
      // Move the bytes when the buffer is theirs alone; a small body may share Buffer's pool.
      const owned = json.byteOffset === 0 && json.byteLength === json.buffer.byteLength;
      worker.postMessage({ id, json, context } satisfies ToPreparation, owned ? [json.buffer as ArrayBuffer] : []);
      return result;
    },
    waitingBytes: () => waitingBytes,
    async close() {
      closed = true;
      await (await current.catch(() => null))?.terminate();
    },
  };
}
