import { runBlobStoreConformance } from '@sluice/core/testing';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalBlobStore } from '../src/index.ts';

runBlobStoreConformance('local directory', async () => {
  const root = await mkdtemp(join(tmpdir(), 'sluice-blob-local-'));
  return {
    store: createLocalBlobStore({ root }),
    pendingWrites: async () => (await readdir(join(root, '.tmp')).catch(() => [])).length,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});
