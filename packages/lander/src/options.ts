import type { AppendBatch, AppendOutcome } from '@sluice/core';

export interface RetryOptions {
  /** First delay after a failed landing. Default 200. */
  initialMs?: number;
  /** Cap of the doubling delay. Default 30000. */
  maxMs?: number;
}

export interface LanderOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  /** Kafka client id prefix. Default `sluice`. */
  clientId?: string;
  /** Consumer group; every lander of one warehouse shares it. Default `sluice-lander`. */
  groupId?: string;
  /** Accepted events. Default `sluice.events.v1`. */
  topic?: string;
  /** Events that ingest quarantined. Default `sluice.quarantine.v1`. */
  quarantineTopic?: string;
  /**
   * The landers' sequence topic (one partition, created at start when missing): a batch's
   * reservation there numbers its rows, when the warehouse numbers by reservation (ClickHouse).
   * Default `sluice.seq.v1`.
   */
  sequenceTopic?: string;
  /** Replication factor of the sequence topic when the lander creates it. Default: the broker's. */
  sequenceReplicationFactor?: number;
  /**
   * How often the lander checks whether the lowest unlanded reservation has stopped moving (a
   * lander died after reserving), and then lands open reservations of its partitions again. Default 30000.
   */
  stallCheckMs?: number;
  /**
   * A partition's batch is landed once it holds this many events (a Kafka message may hold
   * several; a batch is always whole messages). Default 5000.
   */
  maxBatchEvents?: number;
  /**
   * ...or once its first message has waited this long in the lander. Default 500. The end of a
   * backlog (messages produced longer ago than this, reaching the end of their partition) does not
   * wait: it lands as soon as no other batch is landing.
   */
  maxWaitMs?: number;
  retry?: RetryOptions;
  /**
   * Failed attempts of one batch after which, if the warehouse still answers `ping`, the batch
   * itself is taken to be the problem and is split to isolate the messages it refuses. Default 3.
   */
  isolateAfterAttempts?: number;
  /** How often consumer lag is read from Kafka. Default 5000. */
  lagIntervalMs?: number;
  /** Longest `start` waits for the brokers and topics. Default 30000. */
  startupTimeoutMs?: number;
  /** Longest `stop` keeps retrying the batches in hand before leaving them to a replay. Default 30000. */
  shutdownTimeoutMs?: number;
  /** Kafka group session timeout: how long a crashed lander holds its partitions. Default 30000. */
  sessionTimeoutMs?: number;
}

/**
 * What the lander needs of a warehouse: `append`, optionally with a deduplication token that
 * names the batch across retries (the ClickHouse adapter uses it as insert_deduplication_token;
 * the DuckDB adapter ignores it and is idempotent by event id on its own), and optionally `ping`
 * to tell a refused batch from a warehouse that is down.
 */
export interface LandingWarehouse {
  append(batch: AppendBatch, options?: { dedupToken?: string; seqs?: AppendSeqs }): Promise<AppendOutcome>;
  ping?(): Promise<void>;
  /**
   * Present when the warehouse takes its numbers from the landers (ClickHouse): then any number
   * of landers may share it, each batch numbered by its reservation on the sequence topic
   * (docs/decisions/0006). Absent (DuckDB), the warehouse numbers rows itself.
   */
  reservations?: LandedReservations;
}

/** The numbers of an append's rows: `events[i]` for `batch.events[i]`, `quarantine[i]` for `batch.quarantine[i]`. */
export interface AppendSeqs {
  events: readonly number[];
  quarantine: readonly number[];
}

/** The warehouse's record of landed reservations (see `ReservationLedger` in @sluice/warehouse-clickhouse). */
export interface LandedReservations {
  /** Numbers per reservation: the most items one batch may hold. */
  readonly span: number;
  /** The highest number ever handed out in the warehouse, stored or erased. */
  highestNumber(): Promise<number>;
  record(offsets: readonly bigint[]): Promise<void>;
  state(): Promise<{ lowestUnlanded: bigint; landedAbove: bigint[] }>;
}

export type ResolvedLanderOptions = Required<Omit<LanderOptions, 'retry' | 'sequenceReplicationFactor'>> & {
  retry: Required<RetryOptions>;
  sequenceReplicationFactor: number | undefined;
};

export function resolveLanderOptions(options: LanderOptions): ResolvedLanderOptions {
  const resolved: ResolvedLanderOptions = {
    brokers: options.brokers,
    clientId: options.clientId ?? 'sluice',
    groupId: options.groupId ?? 'sluice-lander',
    topic: options.topic ?? 'sluice.events.v1',
    quarantineTopic: options.quarantineTopic ?? 'sluice.quarantine.v1',
    sequenceTopic: options.sequenceTopic ?? 'sluice.seq.v1',
    sequenceReplicationFactor: options.sequenceReplicationFactor,
    stallCheckMs: options.stallCheckMs ?? 30_000,
    maxBatchEvents: options.maxBatchEvents ?? 5000,
    maxWaitMs: options.maxWaitMs ?? 500,
    retry: { initialMs: options.retry?.initialMs ?? 200, maxMs: options.retry?.maxMs ?? 30_000 },
    isolateAfterAttempts: options.isolateAfterAttempts ?? 3,
    lagIntervalMs: options.lagIntervalMs ?? 5000,
    startupTimeoutMs: options.startupTimeoutMs ?? 30_000,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 30_000,
    sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
  };
  if (resolved.brokers.length === 0) throw new TypeError('the lander needs at least one Kafka broker');
  if (new Set([resolved.topic, resolved.quarantineTopic, resolved.sequenceTopic]).size !== 3) {
    throw new TypeError('topic, quarantineTopic and sequenceTopic must differ');
  }
  for (const name of ['maxBatchEvents', 'maxWaitMs', 'isolateAfterAttempts', 'lagIntervalMs', 'stallCheckMs', 'startupTimeoutMs', 'shutdownTimeoutMs', 'sessionTimeoutMs'] as const) {
    if (!Number.isInteger(resolved[name]) || resolved[name] < 1) throw new TypeError(`${name} must be a positive integer`);
  }
  if (resolved.retry.initialMs < 0 || resolved.retry.maxMs < resolved.retry.initialMs) {
    throw new TypeError('retry needs 0 <= initialMs <= maxMs');
  }
  return resolved;
}
