import { hash } from 'node:crypto';
import { normalizeText } from './normalize.ts';

/**
 * SHA-256 (hex) of the normalized text: the exact-duplicate key. A cryptographic hash because
 * equal keys are trusted without comparing the texts, and at a million texts a 32- or 64-bit
 * key would make accidental merges plausible.
 */
export function exactHash(text: string): string {
  return hashNormalized(normalizeText(text));
}

/** For callers that already hold `normalizeText(text)` (the near-dedup core shingles it too). */
export function hashNormalized(normalized: string): string {
  return hash('sha256', normalized, 'hex');
}
