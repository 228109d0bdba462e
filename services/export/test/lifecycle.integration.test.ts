import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SluiceError, type BlobStore } from '@sluice/core';
import { createLocalBlobStore } from '@sluice/blob-store-local';
import { createDuckDbWarehouse } from '@sluice/warehouse-duckdb';
import { exportSnapshot, SnapshotCatalog } from '../src/index.ts';
import { openFixture, seedRun, variedSamples } from './helpers/seed-run.ts';

async function keysUnder(blobStore: BlobStore, prefix: string): Promise<string[]> {
  const keys = [];
  for await (const o of blobStore.list(prefix)) keys.push(o.key);
  return keys;
}

/** Fails the n-th file upload, the way a full disk or a dropped connection would. */
function failingOn(n: number, blobStore: BlobStore): BlobStore {
  let uploads = 0;
  return {
    ...blobStore,
    async putFile(key, path, options) {
      if (++uploads === n) throw new SluiceError('SLUICE_ERR_BLOB_STORE_UNAVAILABLE', `injected failure on ${key}`);
      return blobStore.putFile(key, path, options);
    },
  };
}

describe('snapshot lifecycle: building → ready | failed', () => {
  test('a failed upload leaves no manifest and no files, marks the snapshot failed, and a retry publishes it', async () => {
    const fx = await openFixture();
    try {
      const runId = await seedRun(fx.store, variedSamples(12));
      const options = { store: fx.store, runId, name: 'support-bot', formats: ['sft', 'kto', 'openai_chat'] };
      await assert.rejects(exportSnapshot({ ...options, blobStore: failingOn(3, fx.blobStore) }), { code: 'SLUICE_ERR_BLOB_STORE_UNAVAILABLE' });
      const catalog = new SnapshotCatalog(fx.blobStore, 'datasets');
      const [failed] = await catalog.listSnapshots('support-bot');
      assert.equal(failed?.status, 'failed');
      assert.equal(failed?.error?.code, 'SLUICE_ERR_BLOB_STORE_UNAVAILABLE');
      assert.deepEqual(await keysUnder(fx.blobStore, `datasets/support-bot/${failed!.id}/`), [], 'uploaded files were removed');
      assert.equal(await catalog.readTag('support-bot', 'latest'), null);
      await assert.rejects(catalog.resolveRef('support-bot', failed!.id), { code: 'SLUICE_ERR_SNAPSHOT_NOT_FOUND' });

      const retried = await exportSnapshot({ ...options, blobStore: fx.blobStore });
      assert.equal(retried.manifest.id, failed!.id, 'same inputs, same id');
      assert.equal(retried.reused, false);
      assert.equal((await catalog.listSnapshots('support-bot'))[0]?.status, 'ready');
    } finally {
      await fx.close();
    }
  });

  test('an export killed mid-upload leaves files but no manifest; the next export completes it', async () => {
    const fx = await openFixture();
    await fx.store.close();
    try {
      const child = spawn(process.execPath, [join(import.meta.dirname, 'helpers/export-child.ts'), fx.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('uploading ')) {
            child.kill('SIGKILL');
            resolve();
          }
        });
        child.on('exit', () => resolve());
        child.on('error', reject);
      });
      await new Promise((resolve) => child.once('exit', resolve).once('close', resolve));
      assert.match(output, /uploading datasets\/support-bot\/snap-/, output);

      const blobStore = createLocalBlobStore({ root: fx.blobRoot });
      const catalog = new SnapshotCatalog(blobStore, 'datasets');
      const [building] = await catalog.listSnapshots('support-bot');
      assert.equal(building?.status, 'building');
      const keys = await keysUnder(blobStore, `datasets/support-bot/${building!.id}/`);
      assert.ok(keys.length >= 1, 'the first file had been uploaded');
      assert.ok(!keys.some((k) => k.endsWith('manifest.json')), 'nothing looks complete');
      assert.equal(await catalog.readManifest('support-bot', building!.id), null);

      const store = await createDuckDbWarehouse({ path: join(fx.dir, 'w.duckdb') });
      try {
        const runId = /run (\S+)/.exec(output)![1]!;
        const done = await exportSnapshot({ store, blobStore, runId, name: 'support-bot', formats: ['sft', 'kto'] });
        assert.equal(done.manifest.id, building!.id);
        assert.equal(done.reused, false);
        assert.equal((await catalog.listSnapshots('support-bot'))[0]?.status, 'ready');
      } finally {
        await store.close();
      }
    } finally {
      await fx.close().catch(() => undefined);
    }
  });

  test('only complete runs are exported', async () => {
    const fx = await openFixture();
    try {
      const building = await seedRun(fx.store, variedSamples(2), { status: 'building' });
      await assert.rejects(exportSnapshot({ store: fx.store, blobStore: fx.blobStore, runId: building, name: 'x', formats: ['sft'] }),
        { code: 'SLUICE_ERR_CURATION_RUN_INCOMPLETE' });
      await assert.rejects(exportSnapshot({ store: fx.store, blobStore: fx.blobStore, runId: 'run_nope', name: 'x', formats: ['sft'] }),
        { code: 'SLUICE_ERR_CURATION_RUN_NOT_FOUND' });
      await assert.rejects(exportSnapshot({ store: fx.store, blobStore: fx.blobStore, rulesetName: 'support-test', name: 'x', formats: ['sft'] }),
        { code: 'SLUICE_ERR_CURATION_RUN_NOT_FOUND' }, 'a ruleset whose only run is building has nothing to export');
      await assert.rejects(exportSnapshot({ store: fx.store, blobStore: fx.blobStore, runId: building, name: 'x', formats: ['sft', 'csv'] }),
        { code: 'SLUICE_ERR_INPUT_INVALID' });
      await assert.rejects(exportSnapshot({ store: fx.store, blobStore: fx.blobStore, runId: building, name: 'Bad Name', formats: ['sft'] }),
        { code: 'SLUICE_ERR_INPUT_INVALID' });
    } finally {
      await fx.close();
    }
  });

  test('an erasure after a snapshot gives the next export of the same run inputs a new id', async () => {
    const fx = await openFixture();
    try {
      const runId = await seedRun(fx.store, variedSamples(4));
      const first = await exportSnapshot({ store: fx.store, blobStore: fx.blobStore, runId, name: 'd', formats: ['sft'] });
      await fx.store.eraseUser({ tenant: 'acme', userId: 'someone', requestEventId: 'evt_erase', erasedAt: Date.UTC(2026, 10, 30) });
      const second = await exportSnapshot({ store: fx.store, blobStore: fx.blobStore, runId, name: 'd', formats: ['sft'] });
      assert.notEqual(second.manifest.id, first.manifest.id);
      assert.equal(second.manifest.erasures, 1);
      assert.equal((await new SnapshotCatalog(fx.blobStore, 'datasets').readTag('d', 'latest'))?.snapshot_id, second.manifest.id);
    } finally {
      await fx.close();
    }
  });
});

test('an empty run still exports a complete, loadable snapshot with zero counts', async () => {
  const fx = await openFixture();
  try {
    const runId = await seedRun(fx.store, []);
    const { manifest } = await exportSnapshot({ store: fx.store, blobStore: fx.blobStore, runId, name: 'empty', formats: ['sft', 'openai_chat'] });
    assert.deepEqual(manifest.counts, { sft: {}, openai_chat: {} });
    assert.deepEqual(manifest.files.map((f) => [f.path, f.rows]), [['lineage.parquet', 0], ['README.md', null]]);
    const card = await readFile(join(fx.blobRoot, 'datasets/empty', manifest.id, 'README.md'), 'utf8');
    assert.doesNotMatch(card, /configs:/);
  } finally {
    await fx.close();
  }
});

test('a failure after the manifest is written keeps the published snapshot intact', async () => {
  const fx = await openFixture();
  try {
    const runId = await seedRun(fx.store, variedSamples(6));
    let failTags = true;
    const flaky: BlobStore = {
      ...fx.blobStore,
      async put(key, body, options) {
        if (failTags && key.includes('/tags/')) throw new SluiceError('SLUICE_ERR_BLOB_STORE_UNAVAILABLE', 'injected');
        return fx.blobStore.put(key, body, options);
      },
    };
    await assert.rejects(exportSnapshot({ store: fx.store, blobStore: flaky, runId, name: 'd', formats: ['sft'] }), { code: 'SLUICE_ERR_BLOB_STORE_UNAVAILABLE' });
    const catalog = new SnapshotCatalog(fx.blobStore, 'datasets');
    const [entry] = await catalog.listSnapshots('d');
    const manifest = await catalog.readManifest('d', entry!.id);
    assert.ok(manifest, 'the manifest stays');
    assert.equal((await keysUnder(fx.blobStore, `datasets/d/${entry!.id}/`)).length, manifest.files.length + 1, 'no file was removed');
    failTags = false;
    const again = await exportSnapshot({ store: fx.store, blobStore: flaky, runId, name: 'd', formats: ['sft'] });
    assert.equal(again.reused, true);
    assert.equal((await catalog.readTag('d', 'latest'))?.snapshot_id, entry!.id, 'the re-export repaired the missing tag');
  } finally {
    await fx.close();
  }
});
