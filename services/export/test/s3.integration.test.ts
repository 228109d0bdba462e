import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { BlobStore } from '@sluice/core';
import { createS3BlobStore } from '@sluice/blob-store-s3';
import type { FastifyInstance } from 'fastify';
import { createTestBucket, skipReason } from '../../../packages/adapters/blob-store-s3/test/s3-test-server.ts';
import { exportSnapshot, pullSnapshot, type SnapshotManifest } from '../src/index.ts';
import { SUPPORT_TOKEN, auth, buildApp } from './helpers/http-app.ts';
import { openFixture, seedRun, variedSamples, type ExportFixture } from './helpers/seed-run.ts';

// A visible, counted skip when no S3 server is configured (CI always starts one).
if (skipReason) test('export and pull through S3', { skip: skipReason }, () => {});

describe('export and pull through S3 (local S3 server)', { skip: skipReason }, () => {
  let fx: ExportFixture;
  let bucket: Awaited<ReturnType<typeof createTestBucket>>;
  let s3: BlobStore;
  let manifest: SnapshotManifest;
  let app: FastifyInstance;
  let baseUrl: string;
  let to: string;

  before(async () => {
    fx = await openFixture();
    bucket = await createTestBucket();
    s3 = createS3BlobStore({ ...bucket.options, prefix: 'sluice' });
    const runId = await seedRun(fx.store, variedSamples(30));
    manifest = (await exportSnapshot({ store: fx.store, blobStore: s3, runId, name: 'support-bot', formats: ['sft', 'preference', 'openai_dpo'], shardTargetBytes: 4096 })).manifest;
    app = await buildApp(s3);
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    to = await mkdtemp(join(tmpdir(), 'sluice-pull-s3-'));
  });
  after(async () => {
    await app?.close();
    await s3?.close();
    await bucket?.remove();
    await fx?.close();
    if (to) await rm(to, { recursive: true, force: true });
  });

  test('every file is in the bucket under the prefix, with the manifest\'s hash; manifest.json is there', async () => {
    for (const file of [...manifest.files, { path: 'manifest.json', sha256: null }]) {
      const object = await bucket.client.send(new GetObjectCommand({ Bucket: bucket.options.bucket, Key: `sluice/datasets/support-bot/${manifest.id}/${file.path}` }));
      const bytes = Buffer.from(await object.Body!.transformToByteArray());
      if (file.sha256) assert.equal(createHash('sha256').update(bytes).digest('hex'), file.sha256, file.path);
    }
  });

  test('the same inputs exported to a local store give the same file hashes as on S3', async () => {
    const local = await exportSnapshot({ store: fx.store, blobStore: fx.blobStore, rulesetName: 'support-test', name: 'support-bot', formats: ['openai_dpo', 'preference', 'sft'], shardTargetBytes: 4096, now: () => 0 });
    assert.equal(local.manifest.id, manifest.id);
    const hashes = (m: SnapshotManifest) => m.files.filter((f) => f.path !== 'README.md').map((f) => f.sha256);
    assert.deepEqual(hashes(local.manifest), hashes(manifest));
  });

  test('file requests redirect to a presigned URL, or stream with ?redirect=false', async () => {
    const file = manifest.files.find((f) => f.config === 'sft')!;
    const url = `/v1/snapshots/${manifest.id}/files/${file.path}`;
    const redirected = await app.inject({ method: 'GET', url, headers: auth(SUPPORT_TOKEN) });
    assert.equal(redirected.statusCode, 302);
    assert.match(String(redirected.headers.location), /X-Amz-Signature=/);
    const fetched = Buffer.from(await (await fetch(String(redirected.headers.location))).arrayBuffer());
    assert.equal(createHash('sha256').update(fetched).digest('hex'), file.sha256);
    const streamed = await app.inject({ method: 'GET', url: `${url}?redirect=false`, headers: auth(SUPPORT_TOKEN) });
    assert.equal(streamed.statusCode, 200);
    assert.equal(createHash('sha256').update(streamed.rawPayload).digest('hex'), file.sha256);
  });

  test('pull follows the redirects, verifies every file and resumes through the presigned URL', async () => {
    const pulled = await pullSnapshot({ baseUrl, token: SUPPORT_TOKEN, name: 'support-bot', to });
    assert.equal(pulled.id, manifest.id);
    const file = [...manifest.files].sort((a, b) => b.bytes - a.bytes)[0]!;
    await rename(join(to, file.path), join(to, `${file.path}.part`));
    await truncate(join(to, `${file.path}.part`), 100);
    const again = await pullSnapshot({ baseUrl, token: SUPPORT_TOKEN, name: 'support-bot', to });
    assert.equal(again.filesResumed, 1);
    assert.equal(again.bytesDownloaded, file.bytes - 100);
    for (const f of manifest.files) {
      assert.equal(createHash('sha256').update(await readFile(join(to, f.path))).digest('hex'), f.sha256);
    }
  });
});
