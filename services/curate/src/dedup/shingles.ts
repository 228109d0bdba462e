import { Buffer } from 'node:buffer';
import { murmur3Bytes, murmur3Words } from './murmur3.ts';

/** Word n-gram size: 5 words is the usual choice for near-duplicate web and chat text. */
export const SHINGLE_WORDS = 5;

// Fixed seeds: shingle hashes are part of every stored signature, so they must never change.
const TOKEN_SEED = 0x70_6b_6e_31;
const SHINGLE_SEED = 0x73_68_6e_31;

/**
 * The 32-bit hashes of a normalized text's word 5-grams (see `normalizeText`; tokens are
 * separated by single spaces). Each token is hashed once (murmur3 of its UTF-8 bytes) and each
 * shingle is murmur3 of its five token hashes, so a token is never re-read per shingle and no
 * shingle string is built. A text of 1–4 words yields one shingle of all its words, so short
 * identical texts still match; an empty text yields none. Duplicate shingles are kept: MinHash
 * takes minima, so they cost a little time and change nothing.
 *
 * 32 bits are enough: a collision between two different shingles only matters inside one pair of
 * texts (a few hundred shingles each), where its chance is about 10⁻⁵ and its effect is one
 * shingle's worth of Jaccard.
 */
export function shingleHashes(normalized: string): Uint32Array {
  if (normalized.length === 0) return new Uint32Array(0);
  const tokenHashes = hashTokens(Buffer.from(normalized, 'utf8'));
  const tokens = tokenHashes.length;
  if (tokens < SHINGLE_WORDS) return Uint32Array.of(murmur3Words(tokenHashes, 0, tokens, SHINGLE_SEED));
  const shingles = new Uint32Array(tokens - SHINGLE_WORDS + 1);
  for (let i = 0; i < shingles.length; i++) shingles[i] = murmur3Words(tokenHashes, i, SHINGLE_WORDS, SHINGLE_SEED);
  return shingles;
}

const SPACE = 0x20;

function hashTokens(bytes: Uint8Array): Uint32Array {
  let tokens = 1;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === SPACE) tokens++;
  const hashes = new Uint32Array(tokens);
  let start = 0;
  let next = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === SPACE) {
      hashes[next++] = murmur3Bytes(bytes, start, i, TOKEN_SEED);
      start = i + 1;
    }
  }
  return hashes;
}
