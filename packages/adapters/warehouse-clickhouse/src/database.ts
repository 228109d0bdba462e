import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { SluiceError } from '@sluice/core';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

/** Values bound to `{name:Type}` placeholders; the server parses them, nothing is spliced into SQL. */
export type QueryParams = Record<string, string | number | boolean | null | readonly (string | number)[]>;
export type Row = Record<string, unknown>;

export interface QueryTiming {
  operation: 'query' | 'command' | 'mutation' | 'insert' | 'ping';
  /** What the caller was doing ('listEvents', 'migration 1', …): the label to chart and alert on. */
  label: string;
  durationMs: number;
  attempts: number;
  error?: unknown;
}

export interface ClickHouseDatabaseOptions {
  /** Tries per statement when the failure is a dropped or refused connection (default 3). */
  maxAttempts?: number;
  /** Delay before the n-th retry is n × this (default 100 ms). */
  retryDelayMs?: number;
  onQuery?: (timing: QueryTiming) => void;
}

/*
 * Settings sent with EVERY statement. chDB applies clickhouse_settings as session SETs that
 * persist into later statements, so a setting we rely on must be stated each time rather than
 * trusted to a default (chDB itself defaults to async_insert=1).
 */
const READ_SETTINGS: ClickHouseSettings = {
  // 64-bit integers (ingest_seq, epoch ms) as JSON numbers; ours stay far below 2^53.
  output_format_json_quote_64bit_integers: 0,
};
/*
 * A lightweight DELETE is a mutation, and whether the server waits for it is a setting (a user
 * profile, an older default, or a session SET under chDB may say 0). Erasure promises the rows
 * are gone when it returns, so it states: wait for all replicas. lightweight_deletes_sync governs
 * DELETE FROM; mutations_sync the ALTER … UPDATE _row_exists form it runs as on some versions.
 */
const MUTATION_SETTINGS: ClickHouseSettings = {
  ...READ_SETTINGS,
  lightweight_deletes_sync: '2', // UInt64 settings are typed as strings
  mutations_sync: '2',
};
const FILE_SETTINGS: ClickHouseSettings = {
  ...READ_SETTINGS,
  output_format_parquet_string_as_string: 1,
};
const WRITE_SETTINGS: ClickHouseSettings = {
  ...READ_SETTINGS,
  // Resolve only when the rows are in a part on disk: the port promises durability on return.
  async_insert: 0,
  wait_for_async_insert: 1,
  insert_deduplicate: 1,
};

/**
 * The one execution point for the ClickHouse warehouse (STYLE #7): every statement goes through
 * here with bound parameters, the settings it relies on, retries of connection failures, timing,
 * and errors wrapped as SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE') carrying the cause.
 * Retrying an insert is safe because every insert carries a deduplication token.
 */
export class ClickHouseDatabase {
  readonly #client: ClickHouseClient;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #onQuery: ((timing: QueryTiming) => void) | undefined;
  #closed = false;

  constructor(client: ClickHouseClient, options: ClickHouseDatabaseOptions = {}) {
    this.#client = client;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.#retryDelayMs = options.retryDelayMs ?? 100;
    this.#onQuery = options.onQuery;
  }

  async query<T extends Row = Row>(label: string, sql: string, params: QueryParams = {}): Promise<T[]> {
    return this.#run('query', label, async () => {
      const result = await this.#client.query({ query: sql, query_params: params, format: 'JSONEachRow', clickhouse_settings: READ_SETTINGS });
      return result.json<T>();
    });
  }

  /**
   * Runs a query that ends in `FORMAT <format>` and writes the server's output, as it streams, to
   * a local file (export reads samples this way: Parquet, strings as UTF-8 strings). A retry
   * rewrites the file from the start.
   */
  async queryToFile(label: string, sql: string, params: QueryParams, path: string): Promise<void> {
    await this.#run('query', label, async () => {
      const { stream } = await this.#client.exec({ query: sql, query_params: params, clickhouse_settings: FILE_SETTINGS });
      await pipeline(stream, createWriteStream(path));
    });
  }

  async command(label: string, sql: string, params: QueryParams = {}): Promise<void> {
    await this.#run('command', label, () => this.#client.command({ query: sql, query_params: params, clickhouse_settings: READ_SETTINGS }));
  }

  /** A DELETE (or other mutation) that resolves only once every replica has applied it. */
  async mutate(label: string, sql: string, params: QueryParams = {}): Promise<void> {
    await this.#run('mutation', label, () => this.#client.command({ query: sql, query_params: params, clickhouse_settings: MUTATION_SETTINGS }));
  }

  /**
   * Inserts rows as JSONEachRow, synchronously. `dedupToken` is required: ClickHouse drops a
   * later insert into the same table with the same token (within the table's deduplication
   * window), which is what makes a retried batch land once.
   */
  async insert(label: string, table: string, rows: readonly Row[], dedupToken: string): Promise<void> {
    if (dedupToken === '') throw new TypeError('an insert needs a non-empty deduplication token');
    await this.#run('insert', label, () => this.#client.insert({
      table,
      values: rows as Row[],
      format: 'JSONEachRow',
      clickhouse_settings: { ...WRITE_SETTINGS, insert_deduplication_token: dedupToken },
    }));
  }

  async ping(): Promise<void> {
    await this.#run('ping', 'ping', async () => {
      const result = await this.#client.ping();
      if (!result.success) throw result.error;
    });
  }

  /** Stops accepting work. The client is closed only when `closeClient` (it was built here). */
  async close(options: { closeClient: boolean }): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (options.closeClient) await this.#client.close();
  }

  /** Throws as a statement would once closed: for work that may end up sending none. */
  assertOpen(): void {
    if (this.#closed) throw new SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE', 'the warehouse is closed');
  }

  async #run<T>(operation: QueryTiming['operation'], label: string, body: () => Promise<T>): Promise<T> {
    this.assertOpen();
    const started = performance.now();
    let attempts = 0;
    for (;;) {
      attempts++;
      try {
        const value = await body();
        this.#onQuery?.({ operation, label, durationMs: performance.now() - started, attempts });
        return value;
      } catch (cause) {
        if (attempts < this.#maxAttempts && isConnectionFailure(cause) && !this.#closed) {
          await new Promise((resolve) => setTimeout(resolve, this.#retryDelayMs * attempts));
          continue;
        }
        this.#onQuery?.({ operation, label, durationMs: performance.now() - started, attempts, error: cause });
        throw wrap(cause, label);
      }
    }
  }
}

/*
 * Only failures of the connection itself are retried: a query the server rejected (syntax, type,
 * missing table) fails the same way every time, and retrying it would only delay the error.
 */
const CONNECTION_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  return /socket hang up|Timeout error/i.test(error.message);
}

function wrap(cause: unknown, label: string): SluiceError {
  if (cause instanceof SluiceError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE', `ClickHouse (${label}): ${message}`, { cause });
}
