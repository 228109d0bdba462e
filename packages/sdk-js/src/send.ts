/**
 * Delivery of one batch to POST /v1/batch: gzip where the runtime can, keepalive where allowed,
 * retries on 5xx / 429 / network errors (backoff with full jitter, at least Retry-After).
 */
import { batchBody, type Item } from './batch.ts';
import { backoffMs, isRetryable, parseRetryAfter } from './retry.ts';
import type { RejectedEvent } from './types.ts';

export interface SendConfig {
  url: string;
  writeKey: string;
  gzip: boolean;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  fetch: typeof fetch;
  log: (message: string, data?: unknown) => void;
}

export type SendOutcome =
  | { ok: true; accepted: number; duplicates: number; rejected: RejectedEvent[] }
  | { ok: false; retryable: boolean; status: number; code?: string; message: string };

/** Browsers refuse keepalive bodies beyond 64 KiB (counted over all keepalive requests in flight). */
const KEEPALIVE_MAX_BYTES = 60_000;
/** Below this, gzip saves less than it costs. */
const GZIP_MIN_CHARS = 1024;

/** Sends `items` until the server answers 200, a non-retryable error, retries run out, or `stop` aborts. */
export async function sendBatch(items: readonly Item[], config: SendConfig, stop: AbortSignal): Promise<SendOutcome> {
  for (let attempt = 0; ; attempt++) {
    let status = 0;
    let retryAfterMs = 0;
    let message: string;
    let code: string | undefined;
    try {
      const response = await post(items, config, stop);
      status = response.status;
      if (status === 200) return { ok: true, ...(response.body as { accepted: number; duplicates: number; rejected: RejectedEvent[] }) };
      retryAfterMs = response.retryAfterMs;
      const error = (response.body as { error?: { code?: string; message?: string } } | undefined)?.error;
      code = error?.code;
      message = `HTTP ${status}${code ? ` ${code}` : ''}${error?.message ? `: ${error.message}` : ''}`;
      if (!isRetryable(status)) return { ok: false, retryable: false, status, message, ...(code !== undefined && { code }) };
    } catch (error) {
      message = `request failed: ${String(error)}`;
    }
    if (stop.aborted || attempt >= config.maxRetries) return { ok: false, retryable: true, status, message, ...(code !== undefined && { code }) };
    const waitMs = backoffMs(attempt, config.retryBaseMs, config.retryMaxMs, retryAfterMs);
    config.log(`${message}; retry ${attempt + 1}/${config.maxRetries} in ${Math.round(waitMs)} ms`);
    await sleep(waitMs, stop);
  }
}

async function post(items: readonly Item[], config: SendConfig, stop: AbortSignal): Promise<{ status: number; retryAfterMs: number; body: unknown }> {
  const text = batchBody(items);
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${config.writeKey}` };
  let body: string | Uint8Array<ArrayBuffer> = text;
  let bytes = items.reduce((sum, item) => sum + item.n + 1, 64);
  if (config.gzip && text.length >= GZIP_MIN_CHARS && typeof CompressionStream === 'function') {
    body = new Uint8Array(await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
    headers['content-encoding'] = 'gzip';
    bytes = body.length;
  }
  const abort = new AbortController();
  const onStop = (): void => abort.abort();
  const timer = setTimeout(onStop, config.timeoutMs);
  stop.addEventListener('abort', onStop);
  try {
    const send = config.fetch;
    const response = await send(config.url, {
      method: 'POST',
      headers,
      body,
      keepalive: bytes < KEEPALIVE_MAX_BYTES,
      signal: abort.signal,
    });
    // A 200 whose body is not JSON throws here and counts as a network error: retrying is safe (event ids dedupe).
    const parsed: unknown = response.status === 200 ? await response.json() : await response.json().catch(() => undefined);
    return { status: response.status, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')), body: parsed };
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
  }
}

/** Waits `ms`, or less if `stop` aborts. */
export function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done);
  });
}
