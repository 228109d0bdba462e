import { hashNormalized } from './exact-hash.ts';
import { normalizeText } from './normalize.ts';

/** Items partitioned by normalized-text hash; group numbers follow first appearance. */
export interface ExactGroups {
  readonly count: number;
  /** Per item: its group. */
  readonly groupOf: Uint32Array;
  /** Per group: the SHA-256 of its normalized text; unique per group, so it also orders groups canonically. */
  readonly hashes: readonly string[];
}

/**
 * One pass, one map entry per distinct text: exact duplicates never reach MinHash.
 * `onNewGroup` sees each distinct normalized text once, as its group is created, so a caller can
 * derive what it needs (a signature) without this function keeping every text alive.
 */
export function groupExactDuplicates(
  items: readonly { readonly text: string }[],
  onNewGroup: (group: number, normalized: string) => void = () => {},
): ExactGroups {
  const groupOf = new Uint32Array(items.length);
  const hashes: string[] = [];
  const groupByHash = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const normalized = normalizeText(items[i]!.text);
    const hash = hashNormalized(normalized);
    let group = groupByHash.get(hash);
    if (group === undefined) {
      group = hashes.length;
      groupByHash.set(hash, group);
      hashes.push(hash);
      onNewGroup(group, normalized);
    }
    groupOf[i] = group;
  }
  return { count: hashes.length, groupOf, hashes };
}
