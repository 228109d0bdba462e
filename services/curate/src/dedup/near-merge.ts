import type { ResolvedDedupOptions } from './dedup-options.ts';
import type { ExactGroups } from './exact-groups.ts';
import { forEachBandBucket } from './lsh.ts';
import { createMinHasher, hasEqualRows } from './minhash.ts';
import { shingleHashes } from './shingles.ts';
import type { UnionFind } from './union-find.ts';

export interface NearDuplicateIndex {
  /** Signs one exact group's normalized text (groups numbered 0, 1, 2… in call order). */
  add(group: number, normalized: string): void;
  /** Unions near-duplicate groups in `clustering`; returns the number of candidate pairs verified. */
  merge(groups: ExactGroups, clustering: UnionFind): number;
}

/**
 * Near-duplicate detection over exact groups: one MinHash signature per group, LSH buckets
 * propose candidates, and a candidate pair is merged only if its estimated Jaccard (equal rows
 * over all permutations) reaches the threshold.
 *
 * Cost is linear in the number of groups: signatures O(shingles · numPerm), each band one sort,
 * each bucket member at most `bucketWindow` verifications. Memory: 4 · numPerm bytes per group
 * (512 B at 128) plus 8 bytes per group for the band being processed.
 */
export function createNearDuplicateIndex(settings: ResolvedDedupOptions): NearDuplicateIndex {
  const { numPerm, layout, bucketWindow, minEqualRows } = settings;
  const hasher = createMinHasher({ numPerm, seed: settings.seed });
  let signatures = new Uint32Array(1024 * numPerm);
  let eligible = new Uint32Array(1024);
  let eligibleCount = 0;

  return {
    add(group, normalized) {
      // The empty text has no shingles and so no meaningful signature: it can only be an exact duplicate.
      if (normalized.length === 0) return;
      if ((group + 1) * numPerm > signatures.length) signatures = grown(signatures, (group + 1) * numPerm);
      if (eligibleCount === eligible.length) eligible = grown(eligible, eligibleCount + 1);
      hasher.signatureInto(shingleHashes(normalized), signatures, group * numPerm);
      eligible[eligibleCount++] = group;
    },
    merge(groups, clustering) {
      let verified = 0;
      const canonical = canonicalOrderer(groups.hashes);
      // Last root seen per bucket position. Sets only ever merge, so a stale root equal to the
      // member's current one still proves the pair connected; a mismatch is checked with find().
      let roots = new Uint32Array(0);
      forEachBandBucket(signatures, numPerm, eligible.subarray(0, eligibleCount), layout, (bucket) => {
        // Within the window every pair is checked, so the result cannot depend on member order;
        // past it, hash order makes the skipped pairs independent of input order too.
        const members = bucket.length > bucketWindow + 1 ? canonical(bucket) : bucket;
        if (roots.length < members.length) roots = new Uint32Array(Math.max(members.length, roots.length * 2));
        for (let j = 0; j < members.length; j++) roots[j] = clustering.find(members[j]!);
        for (let j = 1; j < members.length; j++) {
          const member = members[j]!;
          let root = clustering.find(member);
          for (let k = j - 1; k >= 0 && k >= j - bucketWindow; k--) {
            if (roots[k] === root) continue;
            const earlier = members[k]!;
            const earlierRoot = clustering.find(earlier);
            roots[k] = earlierRoot;
            if (earlierRoot === root) continue;
            verified++;
            if (hasEqualRows(signatures, member * numPerm, signatures, earlier * numPerm, numPerm, minEqualRows)) {
              clustering.union(member, earlier);
              root = clustering.find(member);
            }
          }
          roots[j] = root;
        }
      });
      return verified;
    },
  };
}

function grown(array: Uint32Array, minLength: number): Uint32Array<ArrayBuffer> {
  const larger = new Uint32Array(Math.max(minLength, array.length * 2));
  larger.set(array);
  return larger;
}

/**
 * Sorts a bucket's groups by their text hash. Every group's rank in hash order is computed once
 * (on the first large bucket), so a bucket sorts as plain numbers, not by string comparison.
 */
function canonicalOrderer(hashes: readonly string[]): (bucket: Uint32Array) => Uint32Array {
  let rankOf: Uint32Array | null = null;
  let groupAt: Uint32Array | null = null;
  return (bucket) => {
    if (rankOf === null || groupAt === null) {
      groupAt = Uint32Array.from(hashes.keys()).sort((a, b) => (hashes[a]! < hashes[b]! ? -1 : 1));
      rankOf = new Uint32Array(hashes.length);
      for (let rank = 0; rank < groupAt.length; rank++) rankOf[groupAt[rank]!] = rank;
    }
    const ranks = bucket.map((group) => rankOf![group]!).sort();
    return ranks.map((rank) => groupAt![rank]!);
  };
}
