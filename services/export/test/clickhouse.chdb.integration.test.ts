import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { createLocalBlobStore } from '@sluice/blob-store-local';
import { createClickHouseWarehouse } from '@sluice/warehouse-clickhouse';
import { createChdbConnection } from 'chdb/connection';
import { exportSnapshot } from '../src/index.ts';
import { openFixture, seedRun, variedSamples } from './helpers/seed-run.ts';

// chdb's connection is typed against its own copy of @clickhouse/client-common (see the
// ClickHouse adapter's chdb-harness.ts); at run time the client calls only Connection methods.
type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

const ALL = ['sft', 'prompt_completion', 'preference', 'kto', 'rl', 'openai_chat', 'openai_dpo'];

test('the same samples in ClickHouse (chdb) and in DuckDB export to byte-identical data files and lineage', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-export-chdb-'));
  const client = createClient({ connection: createChdbConnection({ path: join(dir, 'chdb') }) as unknown as ClientConnection });
  const clickhouse = await createClickHouseWarehouse({ client, database: 'sluice' });
  const duckdb = await openFixture();
  try {
    const samples = variedSamples(40);
    // Small shards, so cutting a split into several files is compared too.
    const options = { name: 'support-bot', formats: ALL, shardTargetBytes: 3000, now: () => 0 };
    const fromClickHouse = await exportSnapshot({
      ...options, store: clickhouse, blobStore: createLocalBlobStore({ root: join(dir, 'blobs') }), runId: await seedRun(clickhouse, samples),
    });
    const fromDuckDb = await exportSnapshot({ ...options, store: duckdb.store, blobStore: duckdb.blobStore, runId: await seedRun(duckdb.store, samples) });
    // The dataset card names the curation run, whose id differs; everything a trainer loads is the same.
    const dataFiles = (files: { path: string; rows: number | null; sha256: string }[]) => files.filter((f) => f.path !== 'README.md');
    assert.ok(dataFiles(fromDuckDb.manifest.files).filter((f) => f.path.startsWith('data/sft/train-')).length > 1, 'splits were sharded');
    assert.deepEqual(dataFiles(fromClickHouse.manifest.files), dataFiles(fromDuckDb.manifest.files));
    assert.deepEqual(fromClickHouse.manifest.counts, fromDuckDb.manifest.counts);
  } finally {
    await clickhouse.close();
    await client.close();
    await duckdb.close();
    await rm(dir, { recursive: true, force: true });
  }
});
