/**
 * The SDK's public types, derived from the contract's generated event types (schema.gen.ts).
 */
import type {
  ConsentEvent,
  ErasureRequestEvent,
  EventEnvelope,
  FeedbackEvent,
  GenerationEvent,
  OutcomeEvent,
  SluiceEvent,
  TrackEvent,
} from './schema.gen.ts';

export type * from './schema.gen.ts';

/** Fields the SDK fills in. `event_id` and `occurred_at` may still be given (e.g. to replay an event). */
type Filled = 'event_id' | 'type' | 'occurred_at' | 'sent_at';

/** What a caller passes for an event of type `E`: its fields, without those the SDK fills in. */
export type EventInput<E> = Omit<E, Filled> & {
  /** Defaults to a new UUIDv7. */
  event_id?: string;
  /** Defaults to now. */
  occurred_at?: string | Date;
};

/** A model call. `generation_id` defaults to a new UUIDv7 and is returned by `generation()`. */
export type GenerationInput = Omit<EventInput<GenerationEvent>, 'generation_id'> & { generation_id?: string };
export type FeedbackInput = EventInput<FeedbackEvent>;
export type OutcomeInput = EventInput<OutcomeEvent>;
export type ConsentInput = EventInput<ConsentEvent>;
export type ErasureRequestInput = EventInput<ErasureRequestEvent>;
/** Envelope fields of a `track()` call (its name and properties are arguments of their own). */
export type TrackFields = Omit<EventInput<TrackEvent>, 'name' | 'properties'>;

/** Identity and context merged into every event; the event's own fields win. */
export type CommonFields = Partial<Pick<EventEnvelope, 'user_id' | 'anonymous_id' | 'session_id' | 'trace_id' | 'parent_id' | 'context'>>;

/** One event the server rejected (it is kept in quarantine there and never retried). */
export interface RejectedEvent {
  index: number;
  event_id?: string;
  code: string;
  pointer: string;
  message: string;
}

/**
 * Why events were not delivered, passed to `onError`:
 * - `rejected`: the server refused these events (schema errors); see `rejected`. Not retried.
 * - `http`: the request failed with a 4xx other than 429 (e.g. a wrong write key). Not retried; events dropped.
 * - `retry`: 5xx / 429 / network errors outlasted `maxRetries`; the events went back to the queue.
 * - `dropped`: the queue was full (`maxQueue`) and its oldest events were dropped.
 * - `shutdown`: `shutdown()` reached its deadline with these events unsent (persisted in a browser).
 */
export interface DeliveryError {
  kind: 'rejected' | 'http' | 'retry' | 'dropped' | 'shutdown';
  message: string;
  events: SluiceEvent[];
  status?: number;
  code?: string;
  rejected?: RejectedEvent[];
}

export interface ClientOptions {
  /** Base URL of the Sluice ingest server, e.g. `https://sluice.example.com`. */
  endpoint: string;
  /** Write key of this source (sent as `Authorization: Bearer`, or `?key=` on beacons). */
  writeKey: string;
  /** Send when this many events are queued; also the most events per request. Default 20. */
  flushAt?: number;
  /** Send queued events at least this often (ms). Default 5000. */
  flushIntervalMs?: number;
  /** Most bytes of event JSON per request (before gzip). Default 512 KiB. */
  maxBatchBytes?: number;
  /** Most queued events; beyond it the oldest are dropped and counted. Default 1000. */
  maxQueue?: number;
  /** Retries of one request on 5xx, 429 or network errors before its events wait for the next flush. Default 5. */
  maxRetries?: number;
  /** First retry waits up to this long (ms); exponential backoff with full jitter. Default 500. */
  retryBaseMs?: number;
  /** Cap of one backoff (ms). A longer `Retry-After` is still honoured. Default 30000. */
  retryMaxMs?: number;
  /** Abort a request after this long (ms). Default 10000. */
  timeoutMs?: number;
  /** gzip request bodies where the runtime has CompressionStream. Default true. */
  gzip?: boolean;
  /** Identity and context merged into every event (see `identify()`). */
  defaults?: CommonFields;
  /** Start opted out: nothing is queued, stored or sent until `optIn()`. */
  disabled?: boolean;
  /** Browser: keep unsent events in localStorage and send them on the next load; send via sendBeacon when the page is hidden. Default true. */
  persist?: boolean;
  /** Browser: localStorage key prefix. Default `sluice`. */
  storageKey?: string;
  /** Browser: most events kept in localStorage. Default 500. */
  maxStoredEvents?: number;
  /** Log what the client does: `true` for console.debug, or a function. */
  debug?: boolean | ((message: string, data?: unknown) => void);
  /** Called when events are not delivered (see DeliveryError). */
  onError?: (error: DeliveryError) => void;
  /** fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

export interface ClientStats {
  /** Events waiting to be sent. */
  queued: number;
  /** Events in the request being sent now. */
  inflight: number;
  /** Events accepted by the server (duplicates included: they are stored once). */
  sent: number;
  /** Events dropped because the queue was full. */
  dropped: number;
}

export interface SluiceClient {
  /** Records a model call; returns its `generation_id` (to target feedback and outcomes at it). */
  generation(input: GenerationInput): string;
  /** Records explicit feedback; returns the event id. */
  feedback(input: FeedbackInput): string;
  /** Records what happened to a generation or session; returns the event id. */
  outcome(input: OutcomeInput): string;
  /** Records a consent grant or revocation; returns the event id. */
  consent(input: ConsentInput): string;
  /** Records a user's erasure request; returns the event id. */
  erasureRequest(input: ErasureRequestInput): string;
  /** Records an application-defined event; returns the event id. */
  track(name: string, properties?: Record<string, unknown>, fields?: TrackFields): string;
  /** Merges fields (user, session, context) into every later event. */
  identify(fields: CommonFields): void;
  /** Sends everything queued; resolves when the queue is empty or delivery gave up for now. */
  flush(): Promise<void>;
  /** Flushes within `timeoutMs` (default 5000), then stops. Resolves with the number of events left unsent. */
  shutdown(timeoutMs?: number): Promise<{ pending: number }>;
  /** Stops capturing and discards queued and stored events. */
  optOut(): void;
  optIn(): void;
  stats(): ClientStats;
}
