import { endianness } from 'node:os';
import { murmur3Words } from './murmur3.ts';

/** LSH banding: `bands` bands of `rows` signature rows each (bands·rows ≤ numPerm). */
export interface BandLayout {
  readonly bands: number;
  readonly rows: number;
}

export const DEFAULT_MIN_RECALL = 0.95;

/** P(two texts with Jaccard j share at least one band) = 1 − (1 − j^r)^b. */
export function candidateProbability(jaccard: number, layout: BandLayout): number {
  return 1 - (1 - jaccard ** layout.rows) ** layout.bands;
}

/**
 * The layout with the most rows per band (fewest false candidates) whose candidate probability
 * at `threshold` is at least `minRecall`, using b = ⌊numPerm / r⌋ bands. For the defaults
 * (threshold 0.8, 128 permutations, recall 0.95) this is b = 18, r = 7 (126 rows; the last two
 * permutations only sharpen verification):
 *
 *   J              0.3     0.5     0.6     0.7     0.75    0.8     0.85    0.9
 *   18×7 (chosen)  0.0039  0.1317  0.4001  0.7871  0.9241  0.9855  0.9990  1.0000
 *   16×8           0.0010  0.0607  0.2374  0.6133  0.8151  0.9470  0.9938  0.9999   misses 0.95
 *   21×6           0.0152  0.2816  0.6334  0.9278  0.9837  0.9983  1.0000  1.0000   2× the J=0.5 candidates
 *   32×4           0.2291  0.8732  0.9882  0.9998  1.0000  1.0000  1.0000  1.0000   most J=0.5 pairs verified
 *
 * False candidates cost one 128-row comparison each (they are verified, never merged blindly),
 * so the J = 0.5 column is a cost, not an error rate. Other thresholds get their own layout
 * (0.7 → 25×5, 0.9 → 10×12), so recall at the threshold never silently drops.
 */
export function chooseBandLayout(threshold: number, numPerm: number, minRecall = DEFAULT_MIN_RECALL): BandLayout {
  for (let rows = numPerm; rows > 1; rows--) {
    const layout = { bands: Math.floor(numPerm / rows), rows };
    if (candidateProbability(threshold, layout) >= minRecall) return layout;
  }
  return { bands: numPerm, rows: 1 };
}

// A band's entries are (bucket key, member) pairs packed into one 64-bit word, key in the high
// half, so one native BigUint64Array sort (≈ 60 ms per million, no comparator, no BigInt
// allocation) groups each band's buckets, members ascending. Memory stays at 8 bytes per member
// for one band at a time, whatever the number of buckets.
const LOW_WORD = endianness() === 'LE' ? 0 : 1;
const HIGH_WORD = 1 - LOW_WORD;

/**
 * Calls `visit` once per band bucket that holds two or more members. `members` are indexes of
 * signatures in the flat `signatures` array (signature m at [m·numPerm, (m+1)·numPerm)). The
 * bucket passed to `visit` is a view into a scratch buffer, ascending, valid only during the call.
 *
 * Bucket keys are 32-bit murmur3 hashes of the band's rows (seeded by the band number, so equal
 * rows in different bands do not collide). Two different bands' contents sharing a key only adds
 * a candidate that verification rejects: ≈ n²/2³³ such pairs per band, ~100 at a million texts.
 */
export function forEachBandBucket(
  signatures: Uint32Array,
  numPerm: number,
  members: Uint32Array,
  layout: BandLayout,
  visit: (bucket: Uint32Array) => void,
): void {
  if (layout.bands * layout.rows > numPerm) throw new RangeError(`${layout.bands}×${layout.rows} bands need more than ${numPerm} rows`);
  const count = members.length;
  const entries = new BigUint64Array(count);
  const words = new Uint32Array(entries.buffer);
  const bucket = new Uint32Array(count);
  for (let band = 0; band < layout.bands; band++) {
    const firstRow = band * layout.rows;
    for (let i = 0; i < count; i++) {
      const member = members[i]!;
      words[2 * i + HIGH_WORD] = murmur3Words(signatures, member * numPerm + firstRow, layout.rows, band);
      words[2 * i + LOW_WORD] = member;
    }
    entries.sort();
    let start = 0;
    while (start < count) {
      const key = words[2 * start + HIGH_WORD];
      let end = start + 1;
      while (end < count && words[2 * end + HIGH_WORD] === key) end++;
      if (end - start > 1) {
        for (let i = start; i < end; i++) bucket[i - start] = words[2 * i + LOW_WORD]!;
        visit(bucket.subarray(0, end - start));
      }
      start = end;
    }
  }
}
