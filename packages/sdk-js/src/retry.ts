/** Retry policy: what is retried, and how long to wait. */

/** 5xx and 429 are worth retrying (so are network errors); any other 4xx will fail the same way again. */
export function isRetryable(status: number): boolean {
  return status >= 500 || status === 429;
}

/**
 * Exponential backoff with full jitter (a uniform wait in [0, min(max, base·2^attempt)]), but never
 * shorter than the server's Retry-After.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, retryAfterMs = 0, random: () => number = Math.random): number {
  return Math.max(retryAfterMs, random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

/** Retry-After as milliseconds from now: delay-seconds or an HTTP date; 0 when absent or unparseable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number {
  if (!header) return 0;
  const seconds = Number(header);
  const ms = seconds >= 0 ? seconds * 1000 : Date.parse(header) - now;
  return ms > 0 ? ms : 0;
}
