import type { Warehouse } from '@sluice/core';
import { eventsBySeq, quarantineBySeq } from './seq-logs.ts';
import { seqAtTime, type SeqLog } from './seq-window.ts';

const MINUTE = 60_000;
const WINDOW_MINUTES = 24 * 60;

export interface ReasonCount {
  code: string;
  pointer: string;
  message: string;
  count: number;
}

export interface IngestStats {
  /** Epoch ms of each minute of the window, oldest first (the current minute last). */
  minutes: number[];
  byType: Record<string, number[]>;
  bySource: Record<string, number[]>;
  accepted: number;
  rejected: number;
  topReasons: ReasonCount[];
  /** False while the first reads of a large window are still catching up (read budget spent). */
  complete: boolean;
}

interface MinuteBucket {
  types: Map<string, number>;
  sources: Map<string, number>;
  reasons: Map<string, ReasonCount>;
  rejected: number;
}

/**
 * Events per minute by type and source, and rejections by reason, over the last 24 hours of
 * received time, read through the Warehouse port. The port has no aggregate query, so the
 * counts are kept in memory and advanced incrementally: the first call finds the start of the
 * window by binary search over sequence numbers, later calls read only what arrived since. Each
 * call reads at most `budget` rows per table. Events removed by erasure stay counted: this is
 * an ingest-rate view, not an inventory.
 */
export function createIngestStats(warehouse: Warehouse, options: { now?: () => number; budget?: number } = {}) {
  const now = options.now ?? Date.now;
  const budget = options.budget ?? 50_000;
  const buckets = new Map<number, MinuteBucket>();
  const cursors = { events: null as number | null, quarantine: null as number | null };
  let pending: Promise<unknown> = Promise.resolve();

  const bucketOf = (time: number): MinuteBucket => {
    const minute = Math.floor(time / MINUTE) * MINUTE;
    let bucket = buckets.get(minute);
    if (!bucket) buckets.set(minute, (bucket = { types: new Map(), sources: new Map(), reasons: new Map(), rejected: 0 }));
    return bucket;
  };

  /** Reads rows after the cursor (found by time on first use) and counts those in the window. */
  async function advance<T>(log: SeqLog<T>, cursor: 'events' | 'quarantine', from: number, count: (row: T) => void): Promise<boolean> {
    let after = cursors[cursor] ?? await seqAtTime(log, from);
    let read = 0;
    while (read < budget) {
      const page = await log.after(after, Math.min(1000, budget - read));
      for (const row of page) {
        after = log.seqOf(row);
        if (log.timeOf(row) >= from) count(row);
      }
      read += page.length;
      cursors[cursor] = after;
      if (page.length < 1000) return true;
    }
    return false;
  }

  async function refresh(): Promise<IngestStats> {
    const current = Math.floor(now() / MINUTE) * MINUTE;
    const from = current - (WINDOW_MINUTES - 1) * MINUTE;
    for (const minute of buckets.keys()) if (minute < from) buckets.delete(minute);
    const eventsDone = await advance(eventsBySeq(warehouse), 'events', from, (e) => {
      const bucket = bucketOf(e.receivedAt);
      bucket.types.set(e.type, (bucket.types.get(e.type) ?? 0) + 1);
      bucket.sources.set(e.source, (bucket.sources.get(e.source) ?? 0) + 1);
    });
    const quarantineDone = await advance(quarantineBySeq(warehouse), 'quarantine', from, (q) => {
      const bucket = bucketOf(q.receivedAt);
      bucket.rejected++;
      const key = `${q.code}\u0000${q.pointer}\u0000${q.message}`;
      const reason = bucket.reasons.get(key) ?? { code: q.code, pointer: q.pointer, message: q.message, count: 0 };
      reason.count++;
      bucket.reasons.set(key, reason);
    });
    return summarize(from, eventsDone && quarantineDone);
  }

  function summarize(from: number, complete: boolean): IngestStats {
    const minutes = Array.from({ length: WINDOW_MINUTES }, (_, i) => from + i * MINUTE);
    const byType: Record<string, number[]> = {};
    const bySource: Record<string, number[]> = {};
    const reasons = new Map<string, ReasonCount>();
    let accepted = 0;
    let rejected = 0;
    const add = (series: Record<string, number[]>, key: string, index: number, n: number) => {
      (series[key] ??= new Array<number>(WINDOW_MINUTES).fill(0))[index]! += n;
    };
    for (const [minute, bucket] of buckets) {
      const index = (minute - from) / MINUTE;
      if (index < 0 || index >= WINDOW_MINUTES) continue;
      for (const [type, n] of bucket.types) { add(byType, type, index, n); accepted += n; }
      for (const [source, n] of bucket.sources) add(bySource, source, index, n);
      rejected += bucket.rejected;
      for (const [key, r] of bucket.reasons) {
        const total = reasons.get(key) ?? { ...r, count: 0 };
        total.count += r.count;
        reasons.set(key, total);
      }
    }
    const topReasons = [...reasons.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)).slice(0, 10);
    return { minutes, byType, bySource, accepted, rejected, topReasons, complete };
  }

  return {
    /** Concurrent calls are serialized: each sees the cursors the previous one left. */
    read(): Promise<IngestStats> {
      const result = pending.then(refresh, refresh);
      pending = result.catch(() => undefined);
      return result;
    },
  };
}

export type IngestStatsReader = ReturnType<typeof createIngestStats>;
