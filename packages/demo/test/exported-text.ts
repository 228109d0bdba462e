import { DuckDBInstance } from '@duckdb/node-api';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Every file under a directory, recursively. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * The text a file exposes to whoever reads it. Parquet pages are zstd-compressed, so a byte scan
 * would see nothing either way: Parquet files are decoded by DuckDB, every row as JSON; every
 * other file (manifest, dataset card, index, tags) is read as it is.
 */
export async function exposedText(files: readonly string[]): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const file of files) {
      if (!file.endsWith('.parquet')) {
        texts.set(file, await readFile(file, 'utf8'));
        continue;
      }
      const rows = (await connection.runAndReadAll(`SELECT to_json(t)::VARCHAR AS j FROM read_parquet('${file.replaceAll("'", "''")}') t`)).getRowObjectsJS();
      texts.set(file, rows.map((r) => String(r.j)).join('\n'));
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return texts;
}
