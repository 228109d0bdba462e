/**
 * A separate process for the kill test: seeds a run in <dir>/w.duckdb and exports it with an
 * upload that stalls after the first file, printing "uploading" so the parent knows when to
 * SIGKILL it mid-export.
 */
import { join } from 'node:path';
import type { BlobStore } from '@sluice/core';
import { createLocalBlobStore } from '@sluice/blob-store-local';
import { createDuckDbWarehouse } from '@sluice/warehouse-duckdb';
import { exportSnapshot } from '../../src/index.ts';
import { seedRun, variedSamples } from './seed-run.ts';

const dir = process.argv[2]!;
const store = await createDuckDbWarehouse({ path: join(dir, 'w.duckdb') });
const runId = await seedRun(store, variedSamples(12));
await store.close();
const reopened = await createDuckDbWarehouse({ path: join(dir, 'w.duckdb') });
const local = createLocalBlobStore({ root: join(dir, 'blobs') });
const stalling: BlobStore = {
  ...local,
  async putFile(key, path, options) {
    const written = await local.putFile(key, path, options);
    process.stdout.write(`uploading ${key}\n`);
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    return written;
  },
};
process.stdout.write(`run ${runId}\n`);
await exportSnapshot({ store: reopened, blobStore: stalling, runId, name: 'support-bot', formats: ['sft', 'kto'], workDir: dir });
