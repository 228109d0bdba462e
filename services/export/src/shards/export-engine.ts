import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SluiceError } from '@sluice/core';

/** One connection of the export engine. Temp tables are private to it. */
export interface EngineConnection {
  run(sql: string): Promise<void>;
  query<T extends Record<string, unknown>>(sql: string): Promise<T[]>;
}

/**
 * The one execution point for the DuckDB that turns samples into Parquet and JSONL: a private,
 * in-memory instance (not the warehouse).
 *
 * Its thread count is ONE whenever it writes: DuckDB's parallel Parquet writer cuts row groups by
 * timing and memory pressure (PhysicalFixedBatchCopy passes on a batch within a vector of the
 * target size, and stops repartitioning once any thread finishes), and snapshots must be
 * byte-for-byte reproducible. With one thread every statement runs on the thread that issued it,
 * so statements on different connections still run side by side: `withWriter` hands each job
 * (a row group of a Parquet file, a JSON Lines split, the lineage) a connection of its own, one
 * per core. Parsing may use every core (load-samples.ts raises the thread count for it and sets
 * it back).
 */
export interface ExportEngine extends EngineConnection {
  readonly version: string;
  /** Runs `job` on a writer connection of its own, waiting for one to be free. */
  withWriter<T>(job: (connection: EngineConnection) => Promise<T>): Promise<T>;
  close(): void;
}

export async function openExportEngine(options: { tempDirectory: string; writers?: number }): Promise<ExportEngine> {
  let instance: DuckDBInstance;
  let main: DuckDBConnection;
  const writers: DuckDBConnection[] = [];
  try {
    instance = await DuckDBInstance.create(':memory:', {
      threads: '1',
      preserve_insertion_order: 'true',
      temp_directory: options.tempDirectory,
    });
    main = await instance.connect();
    for (let i = 0; i < Math.max(1, options.writers ?? 1); i++) writers.push(await instance.connect());
  } catch (cause) {
    throw new SluiceError('SLUICE_ERR_EXPORT_FAILED', `cannot start DuckDB for the export: ${String(cause)}`, { cause });
  }
  const mainConnection = wrapConnection(main);
  const [row] = await mainConnection.query<{ v: string }>('SELECT version() AS v');
  const free = writers.map(wrapConnection);
  const waiting: ((connection: EngineConnection) => void)[] = [];
  const acquire = (): Promise<EngineConnection> =>
    free.length > 0 ? Promise.resolve(free.pop()!) : new Promise((resolve) => waiting.push(resolve));
  const release = (connection: EngineConnection): void => {
    const next = waiting.shift();
    if (next) next(connection);
    else free.push(connection);
  };
  return {
    ...mainConnection,
    version: `duckdb ${row?.v ?? 'unknown'}`,
    async withWriter(job) {
      const connection = await acquire();
      try {
        return await job(connection);
      } finally {
        release(connection);
      }
    },
    close() {
      for (const connection of [main, ...writers]) connection.closeSync();
      instance.closeSync();
    },
  };
}

function wrapConnection(connection: DuckDBConnection): EngineConnection {
  const wrap = (cause: unknown, sql: string) =>
    new SluiceError('SLUICE_ERR_EXPORT_FAILED', `DuckDB failed while writing the snapshot: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause, details: { statement: sql.slice(0, 200) } });
  return {
    async query<T extends Record<string, unknown>>(sql: string): Promise<T[]> {
      try {
        return (await connection.runAndReadAll(sql)).getRowObjectsJS() as T[];
      } catch (cause) {
        throw wrap(cause, sql);
      }
    },
    async run(sql) {
      try {
        await connection.run(sql);
      } catch (cause) {
        throw wrap(cause, sql);
      }
    },
  };
}

/** A string as a SQL literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A path as a SQL string literal (COPY targets cannot be bound parameters). */
export const sqlPath = sqlString;
