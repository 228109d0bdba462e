import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SluiceError } from '@sluice/core';

/**
 * The one execution point for the DuckDB that turns samples into Parquet and JSONL. It is a
 * private, in-memory instance (not the warehouse), run on ONE thread whenever it writes: DuckDB's
 * parallel Parquet writer cuts row groups by timing and memory pressure (PhysicalFixedBatchCopy
 * accepts a batch within a vector of the target size, and stops repartitioning once any thread
 * finishes), and snapshots must be byte-for-byte reproducible. Parsing may use every core
 * (load-samples.ts raises the thread count for it and sets it back).
 */
export interface ExportEngine {
  run(sql: string): Promise<void>;
  query<T extends Record<string, unknown>>(sql: string): Promise<T[]>;
  readonly version: string;
  close(): void;
}

export async function openExportEngine(options: { tempDirectory: string }): Promise<ExportEngine> {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  try {
    instance = await DuckDBInstance.create(':memory:', {
      threads: '1',
      preserve_insertion_order: 'true',
      temp_directory: options.tempDirectory,
    });
    connection = await instance.connect();
  } catch (cause) {
    throw new SluiceError('SLUICE_ERR_EXPORT_FAILED', `cannot start DuckDB for the export: ${String(cause)}`, { cause });
  }
  const wrap = (cause: unknown, sql: string) =>
    new SluiceError('SLUICE_ERR_EXPORT_FAILED', `DuckDB failed while writing the snapshot: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause, details: { statement: sql.slice(0, 200) } });
  const query = async <T extends Record<string, unknown>>(sql: string): Promise<T[]> => {
    try {
      return (await connection.runAndReadAll(sql)).getRowObjectsJS() as T[];
    } catch (cause) {
      throw wrap(cause, sql);
    }
  };
  const [row] = await query<{ v: string }>('SELECT version() AS v');
  return {
    version: `duckdb ${row?.v ?? 'unknown'}`,
    query,
    async run(sql) {
      try {
        await connection.run(sql);
      } catch (cause) {
        throw wrap(cause, sql);
      }
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A string as a SQL literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A path as a SQL string literal (COPY targets cannot be bound parameters). */
export const sqlPath = sqlString;
