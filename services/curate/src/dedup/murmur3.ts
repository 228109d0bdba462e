/**
 * MurmurHash3 x86 32-bit (Austin Appleby, public domain), the reference algorithm bit for bit,
 * so other implementations (Python `mmh3`, Java Guava) produce the same shingle hashes.
 * Two entry points: UTF-8 bytes (tokens) and 32-bit words (a run of token hashes, each hashed as
 * its 4 little-endian bytes).
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function scrambleBlock(block: number): number {
  let k = Math.imul(block, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function mixBlock(h: number, block: number): number {
  h ^= scrambleBlock(block);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** The murmur3 finalizer: full avalanche of a 32-bit value; returns an unsigned 32-bit integer. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** murmur3_32 of `bytes[start, end)`. */
export function murmur3Bytes(bytes: Uint8Array, start: number, end: number, seed: number): number {
  let h = seed | 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = mixBlock(h, bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
  }
  const tail = end - i;
  if (tail > 0) {
    let k = bytes[i]!;
    if (tail > 1) k |= bytes[i + 1]! << 8;
    if (tail > 2) k |= bytes[i + 2]! << 16;
    h ^= scrambleBlock(k);
  }
  return fmix32(h ^ (end - start));
}

/** murmur3_32 of `count` words starting at `words[start]`, as 4·count little-endian bytes. */
export function murmur3Words(words: Uint32Array, start: number, count: number, seed: number): number {
  let h = seed | 0;
  const end = start + count;
  for (let i = start; i < end; i++) h = mixBlock(h, words[i]!);
  return fmix32(h ^ (count * 4));
}
