import type { RetryOptions } from './options.ts';

/**
 * Delay before retry number `attempt` (0 = the first retry): doubling from `initialMs`, capped at
 * `maxMs`, then "equal jitter" — half fixed, half random — so that landers which all saw the
 * warehouse go down at once do not all come back in the same millisecond, while the delay never
 * collapses to zero and hammers a warehouse that is still restarting.
 */
export function backoffDelay(attempt: number, retry: Required<RetryOptions>, random: () => number = Math.random): number {
  // 2 ** 50 already exceeds any cap; clamping the exponent keeps the product finite.
  const exponential = retry.initialMs * 2 ** Math.min(attempt, 50);
  const capped = Math.min(retry.maxMs, exponential);
  return capped / 2 + random() * (capped / 2);
}
