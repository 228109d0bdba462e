/** What decides which member of a duplicate cluster is kept. */
export interface RepresentativeKey {
  readonly id: string;
  /** Label quality, higher is better. Missing ranks below every number: a labelled item wins. */
  readonly rank?: number;
  /** Earlier is smaller (ingest sequence, timestamp). */
  readonly order: number;
}

/**
 * Total order for keeping one item per cluster: best rank, then earliest order, then smallest id
 * (UTF-16 code-unit order, not locale collation, so every machine agrees). Negative when `a` is
 * preferred. Because it is total for distinct ids, the representative does not depend on the
 * order in which items arrive.
 */
export function compareRepresentatives(a: RepresentativeKey, b: RepresentativeKey): number {
  const rankA = a.rank ?? Number.NEGATIVE_INFINITY;
  const rankB = b.rank ?? Number.NEGATIVE_INFINITY;
  if (rankA !== rankB) return rankA > rankB ? -1 : 1;
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}
