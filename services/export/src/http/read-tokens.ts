import { SluiceError } from '@sluice/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Read tokens let training jobs download snapshots. They are a separate credential from write
 * keys (which product apps embed, sometimes in browsers) and from the admin token: a leaked
 * write key must never read the data it helped collect. Each token is scoped to dataset names,
 * or to all datasets with '*'.
 */
export const readTokenSchema = z.object({
  token: z.string().min(16, 'a read token needs at least 16 characters'),
  datasets: z.array(z.string().min(1)).min(1),
  /** A label for logs; the token itself is never logged. */
  name: z.string().optional(),
});
export type ReadToken = z.infer<typeof readTokenSchema>;

export interface ReadScope {
  name: string;
  allows(dataset: string): boolean;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** `Authorization: Bearer <token>` → the token, or null. */
export function bearer(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

/**
 * Resolves a presented token to its scope. Every configured token is compared (in constant time,
 * on digests) so the time taken does not reveal which token, or how much of one, matched.
 */
export function createReadTokenAuth(tokens: readonly ReadToken[]): (authorization: string | undefined) => ReadScope {
  const entries = tokens.map((t, i) => ({
    hash: digest(t.token), name: t.name ?? `read-token-${i + 1}`,
    all: t.datasets.includes('*'), datasets: new Set(t.datasets),
  }));
  return (authorization) => {
    const presented = bearer(authorization);
    if (presented === null) throw new SluiceError('SLUICE_ERR_READ_UNAUTHORIZED');
    const hash = digest(presented);
    let found: (typeof entries)[number] | undefined;
    for (const entry of entries) if (timingSafeEqual(entry.hash, hash)) found = entry;
    if (!found) throw new SluiceError('SLUICE_ERR_READ_UNAUTHORIZED');
    const { name, all, datasets } = found;
    return { name, allows: (dataset) => all || datasets.has(dataset) };
  };
}
