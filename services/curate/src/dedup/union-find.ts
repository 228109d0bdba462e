/**
 * Disjoint sets over 0…size−1 with path compression and union by rank: near-constant time per
 * operation, so clustering a million texts costs about as much as reading their candidate pairs.
 */
export class UnionFind {
  readonly #parent: Uint32Array;
  readonly #rank: Uint8Array;

  constructor(size: number) {
    this.#parent = new Uint32Array(size);
    for (let i = 0; i < size; i++) this.#parent[i] = i;
    this.#rank = new Uint8Array(size);
  }

  get size(): number {
    return this.#parent.length;
  }

  find(element: number): number {
    const parent = this.#parent;
    let root = element;
    while (parent[root] !== root) root = parent[root]!;
    // Second pass: point every element on the path straight at the root.
    while (parent[element] !== root) {
      const next = parent[element]!;
      parent[element] = root;
      element = next;
    }
    return root;
  }

  /** Merges the two sets; returns false when they were already one. */
  union(a: number, b: number): boolean {
    let rootA = this.find(a);
    let rootB = this.find(b);
    if (rootA === rootB) return false;
    if (this.#rank[rootA]! < this.#rank[rootB]!) [rootA, rootB] = [rootB, rootA];
    this.#parent[rootB] = rootA;
    if (this.#rank[rootA] === this.#rank[rootB]) this.#rank[rootA]!++;
    return true;
  }

  connected(a: number, b: number): boolean {
    return this.find(a) === this.find(b);
  }
}
