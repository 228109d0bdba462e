import { takeBatch, toItem, type Item } from './batch.ts';
import { createEventStore, currentPage, onPageVisibility, sendBeacons } from './browser.ts';
import type { SluiceEvent } from './schema.gen.ts';
import { sendBatch, type SendConfig } from './send.ts';
import type { ClientOptions, ClientStats, CommonFields, DeliveryError, EventInput, SluiceClient } from './types.ts';
import { uuidv7 } from './uuid.ts';

/** Stamped into `context.sdk` of every event (a caller's own `context.sdk` wins). */
export const SDK_INFO = { name: 'sluice-js', version: '0.1.0' } as const;

type EventType = SluiceEvent['type'];
type AnyInput = EventInput<object> & { context?: object } & Record<string, unknown>;

/**
 * Creates a client that queues events in memory and sends them in batches: when `flushAt` events
 * or `maxBatchBytes` are queued, every `flushIntervalMs`, on `flush()` and on `shutdown()`. One
 * request is in flight at a time, so events arrive in order. In a browser, unsent events survive
 * the page through sendBeacon and localStorage.
 */
export function createClient(options: ClientOptions): SluiceClient {
  const {
    endpoint, writeKey, flushAt = 20, flushIntervalMs = 5000, maxBatchBytes = 512 * 1024, maxQueue = 1000,
    persist = true, storageKey = 'sluice', maxStoredEvents = 500, debug, onError,
  } = options;
  const base = endpoint.replace(/\/+$/, '');
  const log = typeof debug === 'function' ? debug : debug ? (m: string, d?: unknown) => console.debug('[sluice]', m, d ?? '') : () => {};
  const config: SendConfig = {
    url: `${base}/v1/batch`,
    writeKey,
    gzip: options.gzip ?? true,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxRetries: options.maxRetries ?? 5,
    retryBaseMs: options.retryBaseMs ?? 500,
    retryMaxMs: options.retryMaxMs ?? 30_000,
    // Called through a wrapper: a bare window.fetch called as a method of another object throws.
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    log,
  };

  let queue: Item[] = [];
  let inflight: Item[] = [];
  let beaconed: Item[] = []; // handed to sendBeacon: delivery unknown until the page is shown again
  let sent = 0;
  let dropped = 0;
  let enabled = !options.disabled;
  let closed = false;
  let failing = false; // the last request gave up on a retryable error
  let draining: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = new AbortController();
  let defaults: CommonFields = { ...options.defaults };

  const report = (error: DeliveryError): void => {
    log(error.message, error);
    try {
      onError?.(error);
    } catch {
      // a throwing hook must not break delivery
    }
  };

  // Drop-oldest: the newest events are the ones still worth something when the backlog is this long.
  const trim = (): void => {
    const lost = queue.splice(0, queue.length - maxQueue);
    if (lost.length === 0) return;
    dropped += lost.length;
    report({ kind: 'dropped', message: `queue full (${maxQueue}): dropped the ${lost.length} oldest events`, events: lost.map((i) => i.e) });
  };

  const page = persist ? currentPage() : undefined;
  const store = page && createEventStore(page, storageKey, maxStoredEvents, log);
  const save = (): void => store?.save([...beaconed, ...inflight, ...queue].map((i) => i.e));

  function schedule(): void {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, flushIntervalMs);
    (timer as { unref?: () => void }).unref?.(); // a pending flush alone must not keep Node running
  }

  async function drain(): Promise<void> {
    while (queue.length > 0 && enabled && !stop.signal.aborted) {
      clearTimeout(timer);
      timer = undefined;
      const batch = (inflight = takeBatch(queue, flushAt, maxBatchBytes));
      const outcome = await sendBatch(batch, config, stop.signal);
      inflight = [];
      const events = batch.map((i) => i.e);
      failing = !outcome.ok && outcome.retryable;
      if (outcome.ok) {
        sent += batch.length - outcome.rejected.length;
        log(`sent ${batch.length} events: ${outcome.accepted} accepted, ${outcome.duplicates} duplicates, ${outcome.rejected.length} rejected`);
        if (outcome.rejected.length > 0) {
          report({
            kind: 'rejected',
            message: `${outcome.rejected.length} events rejected: ${outcome.rejected.map((r) => `${r.code} at ${r.pointer || '/'}: ${r.message}`).join('; ')}`,
            events: outcome.rejected.map((r) => batch[r.index]!.e),
            rejected: outcome.rejected,
          });
        }
      } else if (failing) {
        if (enabled) queue = batch.concat(queue);
        trim();
        if (!stop.signal.aborted) report({ kind: 'retry', message: `${outcome.message}; ${batch.length} events requeued`, events, status: outcome.status });
      } else {
        report({ kind: 'http', message: `${outcome.message}; ${batch.length} events dropped`, events, status: outcome.status, ...(outcome.code !== undefined && { code: outcome.code }) });
      }
      if (store?.holding) save();
      if (failing) return;
    }
  }

  async function flush(): Promise<void> {
    // A request in flight counts: flush() resolves only once it is answered too.
    while ((queue.length > 0 || draining) && enabled && !stop.signal.aborted) {
      await (draining ??= drain().finally(() => {
        draining = undefined;
        if (queue.length > 0) schedule();
      }));
      if (failing) return;
    }
  }

  function capture(type: EventType, input: AnyInput): string {
    const { event_id = uuidv7(), occurred_at, context, ...fields } = input;
    const event = {
      event_id,
      type,
      occurred_at: occurred_at instanceof Date ? occurred_at.toISOString() : (occurred_at ?? new Date().toISOString()),
      ...defaults,
      ...fields,
      context: { sdk: SDK_INFO, ...defaults.context, ...context },
    } as SluiceEvent;
    if (!enabled || closed) {
      log(`not captured (${closed ? 'shut down' : 'opted out'})`, event);
    } else {
      queue.push(toItem(event));
      trim();
      // While the server is failing, the interval paces the next attempts.
      if (!failing && (queue.length >= flushAt || queue.reduce((sum, i) => sum + i.n, 0) >= maxBatchBytes)) void flush();
      else schedule();
    }
    return event_id;
  }

  let unsubscribe = (): void => {};
  if (page && store) {
    if (!defaults.anonymous_id) defaults.anonymous_id = store.anonymousId();
    queue = store.claim().map(toItem);
    trim();
    if (queue.length > 0) {
      log(`resending ${queue.length} events stored by an earlier page`);
      store.save(queue.map((i) => i.e)); // still unsent: keep them stored under this instance
      void flush();
    }
    const beaconUrl = `${base}/v1/beacon?key=${encodeURIComponent(writeKey)}`;
    unsubscribe = onPageVisibility(page, () => {
      // While the server is unreachable a beacon would be lost unseen: keep everything stored instead.
      if (enabled && !failing) beaconed.push(...sendBeacons(page, beaconUrl, queue));
      if (enabled) save();
    }, () => {
      if (beaconed.length > 0) {
        beaconed = [];
        save();
      }
    });
  }

  return {
    generation(input) {
      const generation_id = input.generation_id ?? uuidv7();
      capture('generation', { ...input, generation_id });
      return generation_id;
    },
    feedback: (input) => capture('feedback', input),
    outcome: (input) => capture('outcome', input),
    consent: (input) => capture('consent', input),
    erasureRequest: (input) => capture('erasure_request', input),
    track: (name, properties, fields) => capture('track', { ...fields, name, ...(properties && { properties }) }),
    identify(fields) {
      defaults = { ...defaults, ...fields };
    },
    flush,
    async shutdown(timeoutMs = 5000) {
      closed = true;
      clearTimeout(timer);
      unsubscribe();
      let deadline: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([flush(), new Promise((resolve) => (deadline = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(deadline);
      stop.abort(); // ends a retry wait or request still running; its events return to the queue
      await draining;
      if (queue.length > 0) {
        save();
        report({ kind: 'shutdown', message: `shutdown: ${queue.length} events unsent${store ? ' (stored for the next load)' : ''}`, events: queue.map((i) => i.e) });
      }
      return { pending: queue.length };
    },
    optOut() {
      enabled = false;
      queue = [];
      beaconed = [];
      save();
    },
    optIn() {
      enabled = true;
    },
    stats: (): ClientStats => ({ queued: queue.length, inflight: inflight.length, sent, dropped }),
  };
}
