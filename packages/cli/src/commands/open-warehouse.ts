import { SluiceError, duckdbPath, type Config } from '@sluice/core';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '@sluice/warehouse-duckdb';

/**
 * Opens the embedded warehouse for a CLI command. DuckDB lets one process write a file, so this
 * fails while `sluice serve` runs on the same data directory; the message says so.
 */
export async function openEmbeddedWarehouse(config: Config): Promise<DuckDbWarehouse> {
  const path = duckdbPath(config);
  try {
    // CLI commands read events and write samples; the id index is only needed if one appends.
    return await createDuckDbWarehouse({ path, checkpointThreshold: config.warehouse.checkpointThreshold, idIndex: 'on-first-append' });
  } catch (error) {
    if (error instanceof SluiceError && /lock/i.test(error.message)) {
      throw new SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE',
        `${path} is held by another process (a running \`sluice serve\`?). Stop it, or run this command on a copy of the data directory.`, { cause: error });
    }
    throw error;
  }
}
