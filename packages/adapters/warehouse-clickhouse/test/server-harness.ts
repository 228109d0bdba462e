import { createClient } from '@clickhouse/client';
import type { CurationStoreHarness } from '@sluice/core/testing';
import { randomUUID } from 'node:crypto';
import { createClickHouseWarehouse } from '../src/index.ts';

/*
 * A real ClickHouse server (docker-compose's, or CI's when it starts one), for the conformance
 * suites. Each harness works in a database of its own, dropped by cleanup.
 * CLICKHOUSE_URL=http://localhost:8123 [CLICKHOUSE_USER=…] [CLICKHOUSE_PASSWORD=…]
 */
export const SERVER_URL = process.env.CLICKHOUSE_URL ?? '';
export const SERVER_SKIP_REASON = 'CLICKHOUSE_URL not set';

const credentials = {
  ...(process.env.CLICKHOUSE_USER === undefined ? {} : { username: process.env.CLICKHOUSE_USER }),
  ...(process.env.CLICKHOUSE_PASSWORD === undefined ? {} : { password: process.env.CLICKHOUSE_PASSWORD }),
};

/** Serves both suites: the Warehouse harness is the CurationStore one with a narrower open(). */
export async function createServerHarness(): Promise<CurationStoreHarness> {
  const url = SERVER_URL;
  const database = `sluice_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  return {
    // The url form: the warehouse builds, owns and closes its HTTP client.
    open: () => createClickHouseWarehouse({ url, database, ...credentials }),
    async cleanup() {
      const admin = createClient({ url, ...credentials });
      try {
        await admin.command({ query: `DROP DATABASE IF EXISTS \`${database}\`` });
      } finally {
        await admin.close();
      }
    },
  };
}
