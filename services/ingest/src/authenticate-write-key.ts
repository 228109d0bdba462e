import { SluiceError, type Config } from '@sluice/core';
import { createRateLimiter } from './rate-limiter.ts';
import { createWriteKeyResolver } from './write-keys.ts';

export interface WriteKeyIdentity {
  tenant: string;
  source: string;
  /** A short digest of the key, for rate limiting and logs; never the key itself. */
  id: string;
}

/**
 * Resolves a write key and takes one token from its rate-limit bucket. One authenticator serves
 * every ingest route, so a key's request budget is shared by /v1/batch, /v1/beacon and OTLP.
 * Throws SLUICE_ERR_UNAUTHORIZED (401) or SLUICE_ERR_RATE_LIMITED (429, with retry_after_seconds).
 */
export function createWriteKeyAuthenticator(config: Pick<Config, 'auth' | 'ingest'>) {
  const resolveWriteKey = createWriteKeyResolver(config.auth.writeKeys);
  const rateLimiter = createRateLimiter({ ratePerSecond: config.ingest.rateLimitPerSecond, burst: config.ingest.rateLimitBurst });
  return function authenticateWriteKey(key: string | undefined): WriteKeyIdentity {
    const writeKey = resolveWriteKey(key);
    if (!writeKey) throw new SluiceError('SLUICE_ERR_UNAUTHORIZED');
    const waitSeconds = rateLimiter.take(writeKey.id);
    if (waitSeconds > 0) {
      throw new SluiceError('SLUICE_ERR_RATE_LIMITED', undefined, { details: { retry_after_seconds: Math.ceil(waitSeconds) } });
    }
    return writeKey;
  };
}

export type WriteKeyAuthenticator = ReturnType<typeof createWriteKeyAuthenticator>;
