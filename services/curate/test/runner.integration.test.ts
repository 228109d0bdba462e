import { createDuckDbWarehouse } from '@sluice/warehouse-duckdb';
import { join } from 'node:path';
import { describeCurationRun } from './curation-run-cases.ts';

describeCurationRun('DuckDB', (dir) => createDuckDbWarehouse({ path: join(dir, 'w.duckdb') }));
