import type { WriteKey } from '@sluice/core';
import { createHash } from 'node:crypto';

/**
 * Looks write keys up by their SHA-256, so the lookup's timing reveals nothing about how much of a
 * guessed key matched, and the raw keys need not stay in a map.
 */
export function createWriteKeyResolver(writeKeys: readonly WriteKey[]) {
  const digest = (key: string) => createHash('sha256').update(key).digest('base64');
  const byDigest = new Map(writeKeys.map((k) => [digest(k.key), { tenant: k.tenant, source: k.source, id: digest(k.key).slice(0, 12) }]));
  return (key: string | undefined): { tenant: string; source: string; id: string } | undefined =>
    key ? byDigest.get(digest(key)) : undefined;
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
