import { runWarehouseConformance } from '@sluice/core/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDuckDbWarehouse } from '../src/index.ts';

runWarehouseConformance('DuckDB (file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-duckdb-'));
  return {
    open: () => createDuckDbWarehouse({ path: join(dir, 'warehouse.duckdb') }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

// The CLI opens the store with the id index loaded on the first append: duplicates across a
// reopen must still be caught.
runWarehouseConformance('DuckDB (file, id index on first append)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-duckdb-lazy-'));
  return {
    open: () => createDuckDbWarehouse({ path: join(dir, 'warehouse.duckdb'), idIndex: 'on-first-append' }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
