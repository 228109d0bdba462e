/**
 * Browser-only parts: page-hide detection, sendBeacon, and the localStorage store of unsent events.
 * Everything is feature-detected, so the same bundle runs in Node and edge runtimes, where none of
 * this exists.
 */
import { batchBody, takeBatch, type Item } from './batch.ts';
import type { SluiceEvent } from './schema.gen.ts';
import { uuidv7 } from './uuid.ts';

interface Listening {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

interface KeyValueStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The slice of browser globals used here (declared locally: the SDK needs no DOM typings). */
export interface Page extends Listening {
  document: Listening & { visibilityState: string };
  navigator: { sendBeacon?(url: string, data: string): boolean };
  localStorage: KeyValueStorage;
}

/** The page, when running in a browser window. */
export function currentPage(): Page | undefined {
  const g = globalThis as Partial<Page>;
  return g.document && g.addEventListener ? (g as Page) : undefined;
}

/**
 * Calls `hidden` when the page is hidden or unloaded (the last moment a page reliably runs code,
 * on mobile too), `visible` when it is shown again. Returns the unsubscribe function.
 */
export function onPageVisibility(page: Page, hidden: () => void, visible: () => void): () => void {
  const onChange = (): void => (page.document.visibilityState === 'hidden' ? hidden() : visible());
  page.addEventListener('pagehide', hidden);
  page.document.addEventListener('visibilitychange', onChange);
  return () => {
    page.removeEventListener('pagehide', hidden);
    page.document.removeEventListener('visibilitychange', onChange);
  };
}

/** Browsers cap the bytes of beacons in flight at 64 KiB; each beacon stays below it with room for the envelope. */
export const BEACON_MAX_BYTES = 63_000;
const BEACON_MAX_EVENTS = 1000;

/**
 * Sends `items` by sendBeacon in requests under the beacon quota. Removes what the browser took from
 * `items` and returns it; what it refused (quota full, event too large) stays in `items`.
 */
export function sendBeacons(page: Page, url: string, items: Item[]): Item[] {
  const sent: Item[] = [];
  const kept: Item[] = [];
  while (items.length > 0) {
    const chunk = takeBatch(items, BEACON_MAX_EVENTS, BEACON_MAX_BYTES);
    if (chunk[0]!.n > BEACON_MAX_BYTES || !page.navigator.sendBeacon?.(url, batchBody(chunk))) {
      kept.push(...chunk);
    } else {
      sent.push(...chunk);
    }
  }
  items.push(...kept);
  return sent;
}

/** Unsent events in localStorage: one key per client instance, all claimed by the next load. */
export interface EventStore {
  /** Reads and removes the events every instance of this origin left behind (tabs, earlier loads). */
  claim(): SluiceEvent[];
  /** Replaces this instance's stored events (the newest `max` of them). */
  save(events: SluiceEvent[]): void;
  /** A random id for this browser, kept across loads. */
  anonymousId(): string;
  /** True while this instance has events stored. */
  holding: boolean;
}

export function createEventStore(page: Page, prefix: string, max: number, log: (message: string) => void): EventStore | undefined {
  let storage: KeyValueStorage;
  try {
    storage = page.localStorage; // throws where storage is blocked
    if (!storage) return undefined;
  } catch {
    return undefined;
  }
  const queuePrefix = `${prefix}:q:`;
  const ownKey = queuePrefix + uuidv7();
  const attempt = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (error) {
      log(`localStorage: ${String(error)}`);
      return fallback;
    }
  };
  const store: EventStore = {
    holding: false,
    claim: () => attempt(() => {
      const seen = new Set<string>();
      const events: SluiceEvent[] = [];
      const keys: string[] = [];
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        if (key?.startsWith(queuePrefix)) keys.push(key);
      }
      for (const key of keys) {
        for (const e of JSON.parse(storage.getItem(key) ?? '[]') as SluiceEvent[]) {
          if (seen.has(e.event_id)) continue;
          seen.add(e.event_id);
          events.push(e);
        }
        storage.removeItem(key);
      }
      return events.slice(-max);
    }, []),
    save: (events) => attempt(() => {
      store.holding = events.length > 0;
      if (store.holding) storage.setItem(ownKey, JSON.stringify(events.slice(-max)));
      else storage.removeItem(ownKey);
    }, undefined),
    anonymousId: () => attempt(() => {
      const key = `${prefix}:aid`;
      let id = storage.getItem(key);
      if (!id) storage.setItem(key, (id = uuidv7()));
      return id;
    }, uuidv7()),
  };
  return store;
}
