import { test } from 'node:test';
import { createClient } from '@clickhouse/client';
import { runWarehouseConformance } from '@sluice/core/testing';
import { randomUUID } from 'node:crypto';
import { createClickHouseWarehouse } from '../src/index.ts';

/*
 * The same contract against a real ClickHouse server (docker-compose's, or CI's when it starts
 * one). Each run works in a database of its own, dropped afterwards.
 * CLICKHOUSE_URL=http://localhost:8123 [CLICKHOUSE_USER=…] [CLICKHOUSE_PASSWORD=…]
 */
const url = process.env.CLICKHOUSE_URL;
const credentials = {
  ...(process.env.CLICKHOUSE_USER === undefined ? {} : { username: process.env.CLICKHOUSE_USER }),
  ...(process.env.CLICKHOUSE_PASSWORD === undefined ? {} : { password: process.env.CLICKHOUSE_PASSWORD }),
};

if (url === undefined || url === '') {
  test('Warehouse conformance: ClickHouse (server)', { skip: 'CLICKHOUSE_URL not set' }, () => {});
} else {
  runWarehouseConformance('ClickHouse (server)', async () => {
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
  });
}
