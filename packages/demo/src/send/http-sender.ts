import { setTimeout as sleep } from 'node:timers/promises';
import type { DemoRecord, DemoSource } from '../types.ts';
import { addBatch, emptySendResult, type BatchResponse, type SendResult } from './send-result.ts';

export interface HttpTarget {
  /** Base URL of a Sluice ingest server, e.g. http://127.0.0.1:8080. */
  url: string;
  /** One write key per source: the server derives an event's source from the key it came with. */
  writeKeys: Record<DemoSource, string>;
}

export interface HttpSendOptions {
  /** Events per request (the server's default cap is 1,000). Default 500. */
  batchSize?: number;
  /** A batch is sent early once its JSON reaches this size (the server's cap is 5 MiB). Default 2 MiB. */
  maxBatchBytes?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Events per second across all requests; 0 = as fast as the server answers. Default 0. */
  ratePerSecond?: number;
  /** Attempts per request on 429 / 503 / network errors before giving up. Default 8. */
  maxAttempts?: number;
  onProgress?: (result: Readonly<SendResult>) => void;
}

interface Batch {
  source: DemoSource;
  parts: string[];
  bytes: number;
}

/**
 * Sends records through the real ingest API (`POST /v1/batch`): auth, validation, batching and
 * durable acknowledgements are exercised exactly as an SDK does. Memory is bounded by
 * `concurrency` batches in flight plus one open batch per source; the generator is only pulled
 * when there is room. Retries honour `Retry-After`; an error that retrying cannot fix (a wrong
 * write key, a malformed request) stops the run.
 */
export async function sendOverHttp(records: Iterable<DemoRecord> | AsyncIterable<DemoRecord>, target: HttpTarget, options: HttpSendOptions = {}): Promise<SendResult> {
  const batchSize = options.batchSize ?? 500;
  const maxBytes = options.maxBatchBytes ?? 2 * 1024 * 1024;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const rate = options.ratePerSecond ?? 0;
  const result = emptySendResult();
  const started = performance.now();
  const open = new Map<DemoSource, Batch>();
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  let nextSlot = performance.now();

  /** Waits for room, paces, and starts the request; after a failure it only lets in-flight requests finish. */
  const dispatch = async (batch: Batch): Promise<void> => {
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (failure) return;
    if (rate > 0) {
      // Each batch reserves its share of the rate: n events take n / rate seconds.
      const now = performance.now();
      const at = Math.max(now, nextSlot);
      nextSlot = at + (batch.parts.length * 1000) / rate;
      if (at > now) await sleep(at - now);
    }
    const request: Promise<void> = postBatch(target, batch, options.maxAttempts ?? 8, result)
      .then((response) => {
        addBatch(result, batch.source, batch.parts.length, response);
        options.onProgress?.(result);
      })
      .catch((error: unknown) => { failure ??= error; })
      .finally(() => { inFlight.delete(request); });
    inFlight.add(request);
  };

  try {
    for await (const record of records) {
      if (failure) break;
      const line = JSON.stringify(record.event);
      let batch = open.get(record.source);
      if (batch && batch.bytes + line.length > maxBytes) {
        open.delete(record.source);
        await dispatch(batch);
        batch = undefined;
      }
      if (!batch) open.set(record.source, batch = { source: record.source, parts: [], bytes: 16 });
      batch.parts.push(line);
      batch.bytes += line.length + 1;
      if (batch.parts.length >= batchSize) {
        open.delete(record.source);
        await dispatch(batch);
      }
    }
    for (const batch of open.values()) await dispatch(batch);
  } finally {
    // Never leave requests running behind the caller's back, whatever stopped the loop.
    await Promise.all(inFlight);
  }
  if (failure) throw failure;
  result.elapsedMs = performance.now() - started;
  return result;
}

async function postBatch(target: HttpTarget, batch: Batch, maxAttempts: number, result: SendResult): Promise<BatchResponse> {
  const body = `{"events":[${batch.parts.join(',')}]}`;
  const url = new URL('/v1/batch', target.url);
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      result.requests++;
      response = await fetch(url, {
        method: 'POST', body,
        headers: { authorization: `Bearer ${target.writeKeys[batch.source]}`, 'content-type': 'application/json' },
      });
    } catch (error) {
      if (attempt >= maxAttempts) throw new DemoSendError(null, `could not reach ${url.origin}: ${(error as Error).message}`, { cause: error });
      result.retries++;
      await sleep(Math.min(10_000, 100 * 2 ** attempt));
      continue;
    }
    if (response.ok) return await response.json() as BatchResponse;
    const text = await response.text();
    if ((response.status === 429 || response.status === 503) && attempt < maxAttempts) {
      result.retries++;
      const retryAfter = Number(response.headers.get('retry-after'));
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.min(10_000, 100 * 2 ** attempt));
      continue;
    }
    const hint = response.status === 401 ? ` — is the write key for ${batch.source} configured on the server (SLUICE_WRITE_KEYS)?` : '';
    throw new DemoSendError(response.status, `POST /v1/batch (${batch.source}) answered ${response.status}: ${text.slice(0, 300)}${hint}`);
  }
}

/** The server refused a batch in a way retrying will not fix, kept refusing it, or could not be reached (status null). */
export class DemoSendError extends Error {
  readonly status: number | null;

  constructor(status: number | null, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DemoSendError';
    this.status = status;
  }
}
