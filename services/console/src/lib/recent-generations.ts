import type { CurationStore, EventScan, StoredEvent, Warehouse } from '@sluice/core';

export type CurationWarehouse = Warehouse & CurationStore;

const PAGE = 1000;

/** The ingest sequence of the oldest of the newest `n` generations the scan would see, or null. */
async function firstOfNewest(store: Warehouse, n: number, scan: EventScan): Promise<number | null> {
  const tenant = scan.tenant === undefined ? {} : { tenant: scan.tenant };
  const seqs: number[] = [];
  for (const source of scan.sources ?? [undefined]) {
    const newest = await store.listEvents({ type: 'generation', order: 'desc', limit: n, ...tenant, ...(source === undefined ? {} : { source }) });
    for (const e of newest) if (e.ingestSeq <= scan.upToSeq) seqs.push(e.ingestSeq);
  }
  if (seqs.length === 0) return null;
  seqs.sort((a, b) => b - a);
  return seqs[Math.min(n, seqs.length) - 1]!;
}

/**
 * The store as curation sees it, except that the scan of generations starts at the newest `n`
 * (a dry-run previews recent traffic, not the oldest). Signals and consent are still scanned in
 * full: a recent generation's label can depend on any of them. The runner's own `limit` would
 * stop after the oldest `n`; the port's EventScan has no lower bound, so the generations are read
 * with listEvents from the right sequence number instead.
 */
export function withRecentGenerations(store: CurationWarehouse, n: number): CurationWarehouse {
  async function* scanEvents(scan: EventScan): AsyncIterable<StoredEvent[]> {
    if (scan.types?.length !== 1 || scan.types[0] !== 'generation') {
      yield* store.scanEvents(scan);
      return;
    }
    const from = await firstOfNewest(store, n, scan);
    if (from === null) return;
    const single = scan.sources?.length === 1 ? { source: scan.sources[0]! } : {};
    let after = from - 1;
    for (;;) {
      const page = await store.listEvents({
        type: 'generation', afterSeq: after, limit: PAGE, order: 'asc', ...single, ...(scan.tenant === undefined ? {} : { tenant: scan.tenant }),
      });
      const chunk = page.filter((e) => e.ingestSeq <= scan.upToSeq && (scan.sources === undefined || scan.sources.includes(e.source)));
      if (chunk.length > 0) yield chunk;
      const last = page[page.length - 1];
      if (last === undefined || page.length < PAGE || last.ingestSeq >= scan.upToSeq) return;
      after = last.ingestSeq;
    }
  }
  // A Proxy rather than a spread: adapters may be class instances whose methods need `this`.
  return new Proxy(store, {
    get(target, property) {
      if (property === 'scanEvents') return scanEvents;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The warehouse with its curation side, or null when the adapter has none. */
export function curationStoreOf(warehouse: Warehouse): CurationWarehouse | null {
  const w = warehouse as Warehouse & Partial<CurationStore>;
  const needed = ['maxIngestSeq', 'scanEvents', 'saveRuleset', 'listRulesets', 'listCurationRuns', 'listErasures', 'snapshotErasures'] as const;
  return needed.every((m) => typeof w[m] === 'function') ? (w as CurationWarehouse) : null;
}
