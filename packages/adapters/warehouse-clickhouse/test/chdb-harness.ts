import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import type { WarehouseHarness } from '@sluice/core/testing';
import { createChdbConnection } from 'chdb/connection';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClickHouseWarehouse, type ClickHouseWarehouse } from '../src/index.ts';

/**
 * The real ClickHouse engine in-process: chDB as @clickhouse/client's connection, its data in a
 * temp directory so that a reopen (close, then open) finds what was written. chDB binds one data
 * directory per process; node --test runs each test file in its own process.
 */
export interface ChdbHarness extends WarehouseHarness {
  open(): Promise<ClickHouseWarehouse>;
  /** A raw client on the same engine, for looking under the adapter. Closed by cleanup. */
  client(): ClickHouseClient;
}

export const CHDB_DATABASE = 'sluice';

/*
 * chdb types its connection against @clickhouse/client-common 1.23.0, of which @clickhouse/client
 * 1.23.1 bundles its own copy: the same interface, declared twice (SettingsMap's private field
 * makes the copies nominally distinct), so the compiler needs this bridge. At run time the client
 * calls only the Connection methods, which chdb implements.
 */
type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

export async function createChdbHarness(): Promise<ChdbHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-chdb-'));
  const clients: ClickHouseClient[] = [];
  const newClient = (): ClickHouseClient => {
    const client = createClient({ connection: createChdbConnection({ path: dir }) as unknown as ClientConnection });
    clients.push(client);
    return client;
  };
  return {
    async open() {
      const client = newClient();
      const warehouse = await createClickHouseWarehouse({ client, database: CHDB_DATABASE });
      // The warehouse borrows the client; closing both is what a restart means here.
      return { ...warehouse, close: async () => { await warehouse.close(); await client.close(); } };
    },
    client: newClient,
    async cleanup() {
      for (const client of clients) await client.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
