import type { ExactGroups } from './exact-groups.ts';
import { compareRepresentatives, type RepresentativeKey } from './representative.ts';
import type { UnionFind } from './union-find.ts';

export interface DedupCluster {
  /** The id kept for the cluster. */
  readonly representative: string;
  /** The ids dropped as its duplicates, in representative order (best first). */
  readonly duplicates: readonly string[];
}

export interface DedupStats {
  readonly items: number;
  /** Items whose normalized text equals another item's, beyond the first of each text. */
  readonly exactDuplicates: number;
  /** Further items merged by MinHash similarity (distinct texts beyond one per cluster). */
  readonly nearDuplicates: number;
  /** Clusters with two or more items. */
  readonly clusters: number;
  /** Items kept: items − exactDuplicates − nearDuplicates. */
  readonly kept: number;
  /**
   * LSH candidate pairs whose signatures were compared: a tuning aid, not part of the result
   * (pairs already in one cluster are skipped, so it varies with input order).
   */
  readonly candidatePairs: number;
}

export interface DedupResult {
  /** Per input item, in input order: its representative's id, or null when the item is kept. */
  readonly duplicateOf: readonly (string | null)[];
  /** Per input item: the input index of its representative (itself when kept). */
  readonly representativeIndex: Uint32Array;
  /**
   * Per input item: its exact group (equal normalized text ⇔ equal group). A dropped item whose
   * group is its representative's is an exact duplicate, otherwise a near one.
   */
  readonly exactGroupOf: Uint32Array;
  /** Clusters of two or more items, best representative first. */
  readonly clusters: readonly DedupCluster[];
  readonly stats: DedupStats;
}

/** Picks each cluster's representative and reports the clustering item by item. */
export function summarizeClusters(
  items: readonly RepresentativeKey[],
  groups: ExactGroups,
  clustering: UnionFind,
  candidatePairs: number,
): DedupResult {
  const rootOf = new Uint32Array(items.length);
  const bestOfRoot = new Int32Array(groups.count).fill(-1);
  const sizeOfRoot = new Uint32Array(groups.count);
  for (let i = 0; i < items.length; i++) {
    const root = clustering.find(groups.groupOf[i]!);
    rootOf[i] = root;
    sizeOfRoot[root]!++;
    const best = bestOfRoot[root]!;
    // A tie (same id, order and rank) keeps the earlier input: only repeated ids can tie.
    if (best < 0 || compareRepresentatives(items[i]!, items[best]!) < 0) bestOfRoot[root] = i;
  }

  const representativeIndex = new Uint32Array(items.length);
  const duplicateOf: (string | null)[] = new Array<string | null>(items.length);
  const membersOfRoot = new Map<number, number[]>();
  for (let i = 0; i < items.length; i++) {
    const root = rootOf[i]!;
    const representative = bestOfRoot[root]!;
    representativeIndex[i] = representative;
    duplicateOf[i] = representative === i ? null : items[representative]!.id;
    if (representative !== i) {
      const members = membersOfRoot.get(root);
      if (members) members.push(i);
      else membersOfRoot.set(root, [i]);
    }
  }

  const byRepresentative = (a: number, b: number): number => compareRepresentatives(items[a]!, items[b]!) || a - b;
  const clusters = [...membersOfRoot]
    .map(([root, members]) => ({ representative: bestOfRoot[root]!, members: members.sort(byRepresentative) }))
    .sort((a, b) => byRepresentative(a.representative, b.representative))
    .map(({ representative, members }) => ({ representative: items[representative]!.id, duplicates: members.map((i) => items[i]!.id) }));

  let roots = 0;
  for (let group = 0; group < groups.count; group++) if (sizeOfRoot[group]! > 0) roots++;
  return {
    duplicateOf,
    representativeIndex,
    exactGroupOf: groups.groupOf,
    clusters,
    stats: {
      items: items.length,
      exactDuplicates: items.length - groups.count,
      nearDuplicates: groups.count - roots,
      clusters: clusters.length,
      kept: roots,
      candidatePairs,
    },
  };
}
