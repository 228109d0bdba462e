import { runCurationStoreConformance } from '@sluice/core/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDuckDbWarehouse } from '../src/index.ts';

runCurationStoreConformance('DuckDB (file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-duckdb-curation-'));
  return {
    open: () => createDuckDbWarehouse({ path: join(dir, 'warehouse.duckdb') }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
