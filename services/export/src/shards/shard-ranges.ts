import type { EngineConnection } from './export-engine.ts';

/** Rows of one (config, split) in the export engine: a relation with `rn` (the row order) and a weight per row. */
export interface SplitRows {
  /** SQL relation, e.g. `samples WHERE split = 'train' AND sft`. */
  from: string;
  /** SQL expression of a row's size in bytes (exact or estimated). */
  weight: string;
}

export interface ShardRange {
  /** First and last `rn` of the shard, inclusive. */
  first: number;
  last: number;
  rows: number;
}

export async function splitTotals(engine: EngineConnection, rows: SplitRows): Promise<{ rows: number; bytes: number }> {
  const [totals] = await engine.query<{ rows: number; bytes: number }>(
    `SELECT count(*)::DOUBLE AS rows, coalesce(sum(${rows.weight}), 0)::DOUBLE AS bytes FROM ${rows.from}`);
  return { rows: totals?.rows ?? 0, bytes: totals?.bytes ?? 0 };
}

/**
 * Cuts the rows, in `rn` order, into at most `count` contiguous ranges of about equal weight:
 * a row goes to the range its starting offset falls in. Ranges that would be empty (one row
 * heavier than a range) are dropped, so every range returned has rows. A pure function of the
 * rows: the same rows always give the same cuts.
 */
export async function shardRanges(engine: EngineConnection, rows: SplitRows, count: number, totalWeight: number): Promise<ShardRange[]> {
  return engine.query<{ first: number; last: number; rows: number }>(
    `SELECT min(rn)::DOUBLE AS first, max(rn)::DOUBLE AS last, count(*)::DOUBLE AS rows FROM (
       SELECT rn, floor((sum(${rows.weight}) OVER (ORDER BY rn ROWS UNBOUNDED PRECEDING) - ${rows.weight}) * ${count} / ${Math.max(1, totalWeight)}) AS shard
       FROM ${rows.from}
     ) GROUP BY shard ORDER BY shard`);
}
