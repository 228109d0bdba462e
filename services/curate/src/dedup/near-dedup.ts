import { summarizeClusters, type DedupResult } from './clusters.ts';
import { resolveDedupOptions, type NearDedupOptions } from './dedup-options.ts';
import { ExactGrouper } from './exact-groups.ts';
import { createNearDuplicateIndex } from './near-merge.ts';
import type { RepresentativeKey } from './representative.ts';
import { UnionFind } from './union-find.ts';

/**
 * A text to deduplicate. Scope (prompt only, or prompt + response) is the caller's choice of
 * `text`; ids should be unique (ties on rank and order are broken by id).
 */
export interface DedupItem extends RepresentativeKey {
  readonly text: string;
}

/**
 * Deduplication fed one item at a time, for callers that stream (a curation run): texts are
 * reduced to an exact-group hash and, in `near` mode, a MinHash signature as they arrive, so
 * memory holds only keys and signatures (≈ 4 · numPerm bytes per distinct text), never texts.
 */
export interface StreamingDeduplicator {
  add(item: DedupItem): void;
  /** Clusters everything added; call once, after the last `add`. */
  finish(): DedupResult;
}

/**
 * The dedup operator core. Exact duplicates (equal normalized text) are grouped first, cheaply;
 * in `near` mode the distinct texts are then clustered by MinHash + LSH with verification, and
 * clusters are closed transitively (A~B and B~C put A, B, C together). Each cluster keeps one
 * representative — best rank, then earliest order, then smallest id — so the result is the same
 * whatever the input order. Linear in the input; see near-merge.ts for cost and memory.
 */
export function createStreamingDeduplicator(options: NearDedupOptions = {}): StreamingDeduplicator {
  const settings = resolveDedupOptions(options);
  const nearIndex = settings.mode === 'near' ? createNearDuplicateIndex(settings) : undefined;
  const grouper = new ExactGrouper(nearIndex?.add);
  const keys: RepresentativeKey[] = [];
  return {
    add(item) {
      assertValidItem(item, keys.length);
      grouper.add(item.text);
      keys.push(item.rank === undefined ? { id: item.id, order: item.order } : { id: item.id, rank: item.rank, order: item.order });
    },
    finish() {
      const groups = grouper.groups();
      const clustering = new UnionFind(groups.count);
      const candidatePairs = nearIndex ? nearIndex.merge(groups, clustering) : 0;
      return summarizeClusters(keys, groups, clustering, candidatePairs);
    },
  };
}

/** The same over a whole list: `createDeduplicator(options)(items)`. */
export function createDeduplicator(options: NearDedupOptions = {}): (items: readonly DedupItem[]) => DedupResult {
  resolveDedupOptions(options);
  return (items) => {
    const dedup = createStreamingDeduplicator(options);
    for (const item of items) dedup.add(item);
    return dedup.finish();
  };
}

/** One-shot form of `createDeduplicator(options)(items)`. */
export function nearDedup(items: readonly DedupItem[], options: NearDedupOptions = {}): DedupResult {
  return createDeduplicator(options)(items);
}

function assertValidItem(item: DedupItem, index: number): void {
  if (typeof item.id !== 'string') throw new TypeError(`item ${index}: id must be a string`);
  if (typeof item.text !== 'string') throw new TypeError(`item ${index} (${item.id}): text must be a string`);
  if (!Number.isFinite(item.order)) throw new TypeError(`item ${index} (${item.id}): order must be a finite number`);
  if (item.rank !== undefined && !Number.isFinite(item.rank)) throw new TypeError(`item ${index} (${item.id}): rank must be a finite number`);
}
