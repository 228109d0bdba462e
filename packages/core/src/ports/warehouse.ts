import type { IngestedEvent, QuarantinedEvent, StoredEvent, StoredQuarantinedEvent } from '../events.ts';
import type { CurationRun, ErasureRecord, Sample, SnapshotErasure, SnapshotUser, StoredRuleset } from '../samples.ts';

export interface AppendBatch {
  events: readonly IngestedEvent[];
  quarantine: readonly QuarantinedEvent[];
  /**
   * Optional: the request bodies the events came from, in order; each covers the next
   * `positions.length` entries of `events`. A store may keep these bytes instead of
   * re-serialising every payload. Stores that do not use them ignore them.
   */
  bodies?: readonly ReceivedBody[];
}

/** A request body as received, for the events of a batch that came from it. */
export interface ReceivedBody {
  /**
   * UTF-8 JSON of an object with exactly one top-level `events` array, whose entries (as JSON.parse
   * reads them) are the covered events' payloads; null when the route kept no body.
   */
  json: Uint8Array | null;
  /** For each covered event, in order, its index in that `events` array. */
  positions: readonly number[];
}

/**
 * The accepted events of one request, already in a store's own staging form: what a store that
 * offers `appendPrepared` builds from a validated body (its preparer runs on the ingest service's
 * preparation thread, so the ingest thread neither parses nor re-encodes the events;
 * docs/decisions/0020). Everything but the envelope is plain bytes, cheap to move between threads.
 */
export interface PreparedBody {
  tenant: string;
  source: string;
  /** Accepted entries (at least one). */
  count: number;
  /** Each entry's event_id as 128 bits: four 32-bit words, most significant first. */
  ids: Uint32Array;
  /** Each entry's payload as JSON text (UTF-8), 0x1E between entries. */
  entries: Uint8Array;
  /** Where each entry ends in `entries` (exclusive). */
  entryEnds: Uint32Array;
  /** The rest of each entry's envelope, in the form the store that built it reads. */
  envelope: string;
}

export interface AppendOutcome {
  /** Per entry of `events`: true when (source, eventId) was already stored, or repeated earlier in the batch. */
  duplicate: readonly boolean[];
}

export interface EventQuery {
  limit: number;
  /** Only events with ingestSeq greater than this (tailing). */
  afterSeq?: number;
  tenant?: string;
  source?: string;
  type?: string;
  userId?: string;
  sessionId?: string;
  /** 'asc' (default) for tailing from afterSeq, 'desc' for the newest first. */
  order?: 'asc' | 'desc';
}

export interface QuarantineQuery {
  limit: number;
  afterSeq?: number;
  tenant?: string;
  source?: string;
}

export interface EventScan {
  /** Only events with ingestSeq ≤ upToSeq (the curation watermark). */
  upToSeq: number;
  types?: readonly string[];
  tenant?: string;
  sources?: readonly string[];
  /** Rows per yielded chunk (bounded memory). */
  batchSize?: number;
}

/** One erasure request to carry out: the user, their pseudonymous key (marks snapshots) and the request event. */
export interface ErasureRequest {
  tenant: string;
  userId: string;
  userKey?: string | null;
  requestEventId: string;
  erasedAt: number;
}

export interface SampleScan {
  runId: string;
  split?: string;
  batchSize?: number;
}

/**
 * Curation's side of the warehouse: rulesets with history, curation runs and their samples, and
 * the audit of erasures. A separate port from Warehouse (ingest needs none of it); adapters that
 * back curation implement both, and curation takes `Warehouse & CurationStore`. A run is written as building → complete | failed; readers (export) only
 * use complete runs, so an interrupted run never looks finished.
 */
export interface CurationStore {
  /** Highest ingestSeq stored so far: the natural watermark of a curation run. */
  maxIngestSeq(): Promise<number>;
  /** Streams events in ingestSeq order, in chunks. */
  scanEvents(scan: EventScan): AsyncIterable<StoredEvent[]>;
  /** Stores a ruleset version; saving the same (name, hash) again is a no-op. */
  saveRuleset(ruleset: StoredRuleset): Promise<void>;
  /** Versions of one ruleset (or all), newest first. */
  listRulesets(name?: string): Promise<StoredRuleset[]>;
  createCurationRun(run: CurationRun): Promise<void>;
  appendSamples(runId: string, samples: readonly Sample[]): Promise<void>;
  finishCurationRun(runId: string, result: { status: 'complete' | 'failed'; stats: Record<string, unknown>; finishedAt: number }): Promise<void>;
  getCurationRun(runId: string): Promise<CurationRun | null>;
  /** Newest first. */
  listCurationRuns(filter?: { rulesetName?: string; status?: CurationRun['status'] }): Promise<CurationRun[]>;
  /** Streams a run's samples ordered by sampleId. */
  scanSamples(scan: SampleScan): AsyncIterable<Sample[]>;
  /**
   * Writes a run's samples to a local Parquet file with three string columns — sample_id, split
   * and sample (the Sample as JSON) — and `rn`, the sample's 0-based position in sampleId order.
   * The rows may be in any order (sorting the JSON costs more than the rest of the file; export
   * orders by `rn`). Export reads it with DuckDB rather than scanning samples through
   * JavaScript. Returns how many samples were written.
   */
  writeSamplesFile(scan: { runId: string }, path: string): Promise<number>;
  /**
   * Erasure, the one sanctioned exception to immutability: physically deletes the user's raw
   * events (all types except the erasure_request itself) and records an audit row.
   */
  eraseUser(request: ErasureRequest): Promise<ErasureRecord>;
  /**
   * Several erasures at once, with one set-based delete: the same outcome as `eraseUser` on each
   * request in order (one audit row per request; a user named again after their first request
   * has 0 events left to delete). Returns the records in request order.
   */
  eraseUsers(requests: readonly ErasureRequest[]): Promise<ErasureRecord[]>;
  listErasures(tenant?: string): Promise<ErasureRecord[]>;
  /**
   * The snapshot registry's side of erasure: export records which users (pseudonymous keys) a
   * snapshot holds before publishing it. A snapshot id always holds the same users, so
   * registering it again changes nothing.
   */
  registerSnapshotUsers(snapshotId: string, users: readonly SnapshotUser[]): Promise<void>;
  /**
   * The marks on these snapshots: one per (snapshot, erasure) where the erased user (same tenant
   * and user key) is among the snapshot's registered users, whichever came first. Ordered by
   * snapshot, then erasure time.
   */
  snapshotErasures(snapshotIds: readonly string[]): Promise<SnapshotErasure[]>;
}

/**
 * The Warehouse port: the append-only store of raw events and quarantined ones.
 * `append` is atomic (all of a batch or nothing) and idempotent per (source, eventId);
 * it resolves only once the batch is durable. Infrastructure failures throw
 * SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE').
 */
export interface Warehouse {
  readonly kind: string;
  append(batch: AppendBatch): Promise<AppendOutcome>;
  /**
   * Optional, with the same guarantees as `append`: stores prepared bodies (built by this store's
   * preparer) and quarantined events. `duplicate` lists the bodies' entries in order.
   */
  appendPrepared?(bodies: readonly PreparedBody[], quarantine: readonly QuarantinedEvent[]): Promise<AppendOutcome>;
  listEvents(query: EventQuery): Promise<StoredEvent[]>;
  listQuarantine(query: QuarantineQuery): Promise<StoredQuarantinedEvent[]>;
  /** Resolves when the store answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
