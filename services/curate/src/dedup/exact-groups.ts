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
 * Exact grouping one item at a time, one map entry per distinct text: exact duplicates never
 * reach MinHash. `onNewGroup` sees each distinct normalized text once, as its group is created,
 * so a caller can derive what it needs (a signature) without anything keeping the text alive.
 */
export class ExactGrouper {
  readonly #onNewGroup: (group: number, normalized: string) => void;
  readonly #groupByHash = new Map<string, number>();
  readonly #hashes: string[] = [];
  #groupOf = new Uint32Array(1024);
  #items = 0;

  constructor(onNewGroup: (group: number, normalized: string) => void = () => {}) {
    this.#onNewGroup = onNewGroup;
  }

  /** Adds the next item's text; returns its group. */
  add(text: string): number {
    const normalized = normalizeText(text);
    const hash = hashNormalized(normalized);
    let group = this.#groupByHash.get(hash);
    if (group === undefined) {
      group = this.#hashes.length;
      this.#groupByHash.set(hash, group);
      this.#hashes.push(hash);
      this.#onNewGroup(group, normalized);
    }
    if (this.#items === this.#groupOf.length) {
      const larger = new Uint32Array(this.#groupOf.length * 2);
      larger.set(this.#groupOf);
      this.#groupOf = larger;
    }
    this.#groupOf[this.#items++] = group;
    return group;
  }

  /** The grouping of everything added so far. */
  groups(): ExactGroups {
    return { count: this.#hashes.length, groupOf: this.#groupOf.subarray(0, this.#items), hashes: this.#hashes };
  }
}

/** One pass over `items`; see ExactGrouper. */
export function groupExactDuplicates(
  items: readonly { readonly text: string }[],
  onNewGroup: (group: number, normalized: string) => void = () => {},
): ExactGroups {
  const grouper = new ExactGrouper(onNewGroup);
  for (const item of items) grouper.add(item.text);
  return grouper.groups();
}
