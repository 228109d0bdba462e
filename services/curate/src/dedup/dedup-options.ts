import { chooseBandLayout, type BandLayout } from './lsh.ts';
import { DEFAULT_MINHASH_SEED, DEFAULT_NUM_PERM } from './minhash.ts';

/** `exact`: normalized-text hash only. `near`: exact first, then MinHash/LSH near-duplicates. */
export type DedupMode = 'exact' | 'near';

export interface NearDedupOptions {
  /** Estimated Jaccard (word 5-gram shingles) at or above which two texts are merged. Default 0.8. */
  threshold?: number;
  /** Default `near`. */
  mode?: DedupMode;
  /** MinHash permutations. Default 128. */
  numPerm?: number;
  /** MinHash seed; keep the default unless signatures must differ from other runs. */
  seed?: number;
  /** LSH banding. Default: `chooseBandLayout(threshold, numPerm)`, 18×7 at threshold 0.8. */
  bands?: BandLayout;
  /**
   * How many earlier members of an LSH bucket each member is verified against. Buckets are
   * almost always pairs; the cap keeps a degenerate bucket (thousands of templated texts sharing
   * a band) linear instead of quadratic. Members already clustered together are skipped without
   * counting, so a large bucket of true near-duplicates still collapses into one cluster.
   * Default 64.
   */
  bucketWindow?: number;
}

export const DEFAULT_THRESHOLD = 0.8;
export const DEFAULT_BUCKET_WINDOW = 64;

export interface ResolvedDedupOptions {
  readonly threshold: number;
  readonly mode: DedupMode;
  readonly numPerm: number;
  readonly seed: number;
  readonly layout: BandLayout;
  readonly bucketWindow: number;
  /** Equal signature rows needed to pass verification: ⌈threshold · numPerm⌉. */
  readonly minEqualRows: number;
}

export function resolveDedupOptions(options: NearDedupOptions): ResolvedDedupOptions {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const numPerm = options.numPerm ?? DEFAULT_NUM_PERM;
  const bucketWindow = options.bucketWindow ?? DEFAULT_BUCKET_WINDOW;
  const mode = options.mode ?? 'near';
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`threshold must be in (0, 1], got ${threshold}`);
  if (!Number.isInteger(numPerm) || numPerm < 1) throw new RangeError(`numPerm must be a positive integer, got ${numPerm}`);
  if (!Number.isInteger(bucketWindow) || bucketWindow < 1) throw new RangeError(`bucketWindow must be a positive integer, got ${bucketWindow}`);
  if (mode !== 'exact' && mode !== 'near') throw new RangeError(`mode must be 'exact' or 'near', got ${String(mode)}`);
  const layout = options.bands ?? chooseBandLayout(threshold, numPerm);
  if (!Number.isInteger(layout.bands) || !Number.isInteger(layout.rows) || layout.bands < 1 || layout.rows < 1 || layout.bands * layout.rows > numPerm) {
    throw new RangeError(`bands ${layout.bands}×${layout.rows} must be positive integers with bands·rows ≤ numPerm (${numPerm})`);
  }
  return {
    threshold,
    mode,
    numPerm,
    seed: options.seed ?? DEFAULT_MINHASH_SEED,
    layout,
    bucketWindow,
    // The epsilon keeps 0.8 · 128 = 102.4 → 103 from becoming 104 through float error elsewhere.
    minEqualRows: Math.ceil(threshold * numPerm - 1e-9),
  };
}
