/**
 * Token buckets, one per key: `ratePerSecond` tokens refill continuously up to `burst`.
 * take() answers how long to wait when the bucket is empty (0 = allowed).
 */
export function createRateLimiter(options: { ratePerSecond: number; burst: number; now?: () => number }) {
  const now = options.now ?? (() => performance.now());
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /** Returns 0 when allowed, otherwise the seconds until a token is available. */
    take(key: string): number {
      if (options.ratePerSecond <= 0) return 0;
      const t = now();
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = { tokens: options.burst, at: t }));
      bucket.tokens = Math.min(options.burst, bucket.tokens + ((t - bucket.at) / 1000) * options.ratePerSecond);
      bucket.at = t;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return (1 - bucket.tokens) / options.ratePerSecond;
    },
  };
}
