/**
 * A lander in a process of its own on a chDB-backed ClickHouse warehouse, for tests that SIGKILL
 * it: chDB runs in-process, so killing the lander means killing this process.
 *
 *   node chdb-lander-process.ts '<json: LanderProcessOptions>'
 *
 * Reports on stdout, one line each (writes to a pipe are synchronous on Linux, so a line is out
 * before the next step begins): `inserting <token> <events>` before a warehouse append,
 * `inserted <token> <events> <duplicates>` after it. Logs go to stderr; SIGTERM stops it gracefully.
 */
import { createClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import type { AppendBatch } from '@sluice/core';
import { createClickHouseWarehouse, type ClickHouseAppendOptions } from '@sluice/warehouse-clickhouse';
import { createChdbConnection } from 'chdb/connection';
import { createLander, createStderrLog, runLanderUntilSignal } from '../src/index.ts';

export interface LanderProcessOptions {
  brokers: string[];
  topic: string;
  quarantineTopic: string;
  groupId: string;
  chdbPath: string;
  database: string;
  maxBatchEvents: number;
  /** After this many appends resolved, the next answer never comes: stuck between insert and commit. */
  hangAfterInserts?: number;
}

// chdb types its connection against its own copy of @clickhouse/client-common; see the ClickHouse adapter's chdb-harness.
type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

const options = JSON.parse(process.argv[2] ?? '') as LanderProcessOptions;
const client = createClient({ connection: createChdbConnection({ path: options.chdbPath }) as unknown as ClientConnection });
const warehouse = await createClickHouseWarehouse({ client, database: options.database });
let inserts = 0;
const reporting = {
  async append(batch: AppendBatch, appendOptions?: ClickHouseAppendOptions) {
    process.stdout.write(`inserting ${appendOptions?.dedupToken} ${batch.events.length}\n`);
    const outcome = await warehouse.append(batch, appendOptions);
    process.stdout.write(`inserted ${appendOptions?.dedupToken} ${batch.events.length} ${outcome.duplicate.filter(Boolean).length}\n`);
    if (++inserts === options.hangAfterInserts) await new Promise<never>(() => {});
    return outcome;
  },
  ping: () => warehouse.ping(),
  reservations: warehouse.reservations,
};
const lander = createLander(
  {
    brokers: options.brokers, topic: options.topic, quarantineTopic: options.quarantineTopic, groupId: options.groupId,
    maxBatchEvents: options.maxBatchEvents, maxWaitMs: 200, lagIntervalMs: 500,
    // The broker's minimum: the next lander need not wait 30 s for a killed one's partitions.
    sessionTimeoutMs: 6000,
  },
  { warehouse: reporting, log: createStderrLog() },
);
try {
  await runLanderUntilSignal(lander);
} finally {
  await warehouse.close();
  await client.close();
}
