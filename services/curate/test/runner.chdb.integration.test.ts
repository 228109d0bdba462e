import { createClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { createClickHouseWarehouse } from '@sluice/warehouse-clickhouse';
import { createChdbConnection } from 'chdb/connection';
import { describeCurationRun } from './curation-run-cases.ts';

// chdb's connection is typed against its own copy of @clickhouse/client-common (see the
// ClickHouse adapter's chdb-harness.ts); at run time the client calls only Connection methods.
type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

describeCurationRun('ClickHouse (chdb)', (dir) => createClickHouseWarehouse({
  client: createClient({ connection: createChdbConnection({ path: dir }) as unknown as ClientConnection }),
  database: 'sluice',
}));
