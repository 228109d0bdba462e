import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { exportSnapshot, pullSnapshot, type PullProgress, type SnapshotManifest } from '../../src/index.ts';
import { OTHER_TOKEN, SUPPORT_TOKEN, buildApp } from '../helpers/http-app.ts';
import { openFixture, seedRun, variedSamples, type ExportFixture } from '../helpers/seed-run.ts';

describe('pullSnapshot over real HTTP', () => {
  let fx: ExportFixture;
  let app: FastifyInstance;
  let baseUrl: string;
  let manifest: SnapshotManifest;
  let storedDir: string;
  let to: string;
  const pull = (extra: Partial<Parameters<typeof pullSnapshot>[0]> = {}) =>
    pullSnapshot({ baseUrl, token: SUPPORT_TOKEN, name: 'support-bot', to, ...extra });

  before(async () => {
    fx = await openFixture();
    const runId = await seedRun(fx.store, variedSamples(40));
    // Small shards and row groups so there are several files to pull.
    const exported = await exportSnapshot({ store: fx.store, blobStore: fx.blobStore, runId, name: 'support-bot', formats: ['sft', 'rl', 'openai_chat'], shardTargetBytes: 4096, tags: ['stable'] });
    manifest = exported.manifest;
    storedDir = join(fx.blobRoot, exported.dir);
    app = await buildApp(fx.blobStore);
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    to = await mkdtemp(join(tmpdir(), 'sluice-pull-'));
  });
  after(async () => {
    await app.close();
    await fx.close();
    await rm(to, { recursive: true, force: true });
  });

  const totalBytes = () => manifest.files.reduce((n, f) => n + f.bytes, 0);

  async function assertPulledIntact(): Promise<void> {
    for (const file of manifest.files) {
      const bytes = await readFile(join(to, file.path));
      assert.equal(createHash('sha256').update(bytes).digest('hex'), file.sha256, file.path);
    }
    assert.deepEqual(JSON.parse(await readFile(join(to, 'manifest.json'), 'utf8')), manifest);
  }

  test('pulls latest: every file verified, manifest written last, progress reported', async () => {
    const progress: PullProgress[] = [];
    const pulled = await pull({ onProgress: (p) => progress.push(p) });
    assert.equal(pulled.id, manifest.id);
    assert.ok(manifest.files.length > 5, `${manifest.files.length} files`);
    assert.equal(pulled.bytesDownloaded, totalBytes());
    await assertPulledIntact();
    const last = progress.at(-1)!;
    assert.deepEqual([last.file, last.filesDone, last.bytesDone], [null, manifest.files.length, totalBytes()]);
  });

  test('pulling again downloads nothing; by tag and by id resolve to the same snapshot', async () => {
    const again = await pull({ ref: 'stable' });
    assert.equal(again.bytesDownloaded, 0);
    assert.equal(again.filesKept, manifest.files.length);
    const byId = await pull({ ref: manifest.id });
    assert.equal(byId.id, manifest.id);
  });

  test('a partial download is resumed with a Range request', async () => {
    const file = [...manifest.files].sort((a, b) => b.bytes - a.bytes)[0]!;
    const local = join(to, file.path);
    await rename(local, `${local}.part`);
    await truncate(`${local}.part`, Math.floor(file.bytes / 2));
    const pulled = await pull();
    assert.equal(pulled.filesResumed, 1);
    assert.equal(pulled.bytesDownloaded, file.bytes - Math.floor(file.bytes / 2));
    await assertPulledIntact();
  });

  test('a corrupt partial download is detected and fetched again from zero', async () => {
    const file = manifest.files.find((f) => f.path.endsWith('.jsonl'))!;
    const local = join(to, file.path);
    await rm(local);
    await writeFile(`${local}.part`, 'garbage that is not the start of the file');
    const pulled = await pull();
    assert.equal(pulled.filesResumed, 1);
    await assertPulledIntact();
  });

  test('a file whose bytes do not match the manifest is refused and not kept', async () => {
    const file = manifest.files.find((f) => f.path === 'README.md')!;
    const stored = join(storedDir, file.path);
    const original = await readFile(stored);
    await writeFile(stored, original.toString('utf8').replace('immutable', 'IMMUTABLE'));
    try {
      await rm(join(to, file.path));
      await assert.rejects(pull(), { code: 'SLUICE_ERR_DOWNLOAD_INTEGRITY' });
      await assert.rejects(stat(join(to, file.path)), { code: 'ENOENT' });
      await assert.rejects(stat(join(to, `${file.path}.part`)), { code: 'ENOENT' });
    } finally {
      await writeFile(stored, original);
    }
  });

  test('errors come back as SluiceErrors: unknown tag 404, other dataset 403', async () => {
    await assert.rejects(pull({ ref: 'nope' }), { code: 'SLUICE_ERR_SNAPSHOT_NOT_FOUND' });
    await assert.rejects(pull({ token: OTHER_TOKEN }), { code: 'SLUICE_ERR_FORBIDDEN' });
    await assert.rejects(pull({ token: 'not-a-token-at-all' }), { code: 'SLUICE_ERR_READ_UNAUTHORIZED' });
  });
});
