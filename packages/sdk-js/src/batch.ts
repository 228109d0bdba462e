import type { SluiceEvent } from './schema.gen.ts';

/** A queued event and the UTF-8 size of its JSON, measured once. */
export interface Item {
  e: SluiceEvent;
  n: number;
}

const encoder = new TextEncoder();

export function toItem(e: SluiceEvent): Item {
  return { e, n: encoder.encode(JSON.stringify(e)).length };
}

/**
 * Removes and returns the longest prefix of `items` with at most `maxCount` events whose JSON fits in
 * `maxBytes`. The first event is always taken (or no request could ever carry it); beacons skip it instead.
 */
export function takeBatch(items: Item[], maxCount: number, maxBytes: number): Item[] {
  let i = 0;
  for (let bytes = 0; i < items.length && i < maxCount; i++) {
    bytes += items[i]!.n + 1;
    if (i > 0 && bytes > maxBytes) break;
  }
  return items.splice(0, i);
}

/** The request body of /v1/batch and /v1/beacon, stamped with the time it is sent. */
export function batchBody(items: readonly Item[]): string {
  return JSON.stringify({ sent_at: new Date().toISOString(), events: items.map((i) => i.e) });
}
