import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { exportSnapshot, SnapshotCatalog, type SnapshotManifest } from '../../src/index.ts';
import { ALL_TOKEN, OTHER_TOKEN, SUPPORT_TOKEN, auth, buildApp } from '../helpers/http-app.ts';
import { openFixture, seedRun, variedSamples, type ExportFixture } from '../helpers/seed-run.ts';

describe('snapshot HTTP API', () => {
  let fx: ExportFixture;
  let app: FastifyInstance;
  let manifest: SnapshotManifest;
  let dir: string;
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

  before(async () => {
    fx = await openFixture();
    const runId = await seedRun(fx.store, variedSamples(10));
    const exported = await exportSnapshot({ store: fx.store, blobStore: fx.blobStore, runId, name: 'support-bot', formats: ['sft', 'kto'], tags: ['prod'] });
    manifest = exported.manifest;
    dir = join(fx.blobRoot, exported.dir);
    app = await buildApp(fx.blobStore);
  });
  after(async () => {
    await app.close();
    await fx.close();
  });

  test('401 with a code when the read token is missing or unknown (a write key is not a read token)', async () => {
    for (const headers of [{}, auth('sk_dev_quickstart'), { authorization: 'Basic abc' }]) {
      const response = await app.inject({ method: 'GET', url: '/v1/datasets', headers });
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().error.code, 'SLUICE_ERR_READ_UNAUTHORIZED');
    }
  });

  test('GET /v1/datasets lists only the datasets the token may read', async () => {
    const all = await app.inject({ method: 'GET', url: '/v1/datasets', headers: auth(ALL_TOKEN) });
    assert.deepEqual(all.json(), { datasets: [{ name: 'support-bot', snapshots: 1, latest: manifest.id }] });
    const other = await app.inject({ method: 'GET', url: '/v1/datasets', headers: auth(OTHER_TOKEN) });
    assert.deepEqual(other.json(), { datasets: [] });
  });

  test('GET /v1/datasets/:name/snapshots: snapshots with tags; 403 out of scope; 404 unknown', async () => {
    const ok = await app.inject({ method: 'GET', url: '/v1/datasets/support-bot/snapshots', headers: auth(SUPPORT_TOKEN) });
    assert.equal(ok.statusCode, 200);
    const body = ok.json();
    assert.deepEqual(body.tags, { latest: manifest.id, prod: manifest.id });
    assert.equal(body.snapshots[0].id, manifest.id);
    assert.equal(body.snapshots[0].status, 'ready');
    assert.deepEqual(body.snapshots[0].tags, ['latest', 'prod']);

    const forbidden = await app.inject({ method: 'GET', url: '/v1/datasets/support-bot/snapshots', headers: auth(OTHER_TOKEN) });
    assert.equal(forbidden.statusCode, 403);
    assert.equal(forbidden.json().error.code, 'SLUICE_ERR_FORBIDDEN');
    const missing = await app.inject({ method: 'GET', url: '/v1/datasets/nope/snapshots', headers: auth(ALL_TOKEN) });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'SLUICE_ERR_DATASET_NOT_FOUND');
  });

  test('GET /v1/snapshots/:id returns the manifest; 403 out of scope; 404 unknown or not ready', async () => {
    const ok = await app.inject({ method: 'GET', url: `/v1/snapshots/${manifest.id}`, headers: auth(SUPPORT_TOKEN) });
    assert.deepEqual(ok.json(), manifest);
    const forbidden = await app.inject({ method: 'GET', url: `/v1/snapshots/${manifest.id}`, headers: auth(OTHER_TOKEN) });
    assert.equal(forbidden.json().error.code, 'SLUICE_ERR_FORBIDDEN');
    const unknown = await app.inject({ method: 'GET', url: '/v1/snapshots/snap-000000000000000000000000', headers: auth(ALL_TOKEN) });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'SLUICE_ERR_SNAPSHOT_NOT_FOUND');

    const catalog = new SnapshotCatalog(fx.blobStore, 'datasets');
    const building = 'snap-111111111111111111111111';
    const at = new Date().toISOString();
    await catalog.writeIndex({ id: building, name: 'support-bot', status: 'building', created_at: at, updated_at: at, ruleset: { name: 'r', hash: 'h' }, watermark: 1 });
    const notReady = await app.inject({ method: 'GET', url: `/v1/snapshots/${building}`, headers: auth(ALL_TOKEN) });
    assert.equal(notReady.statusCode, 404);
    assert.match(notReady.json().error.message, /not ready/);
  });

  test('GET a file streams it whole, with its sha256 as ETag', async () => {
    const file = manifest.files.find((f) => f.config === 'sft')!;
    const response = await app.inject({ method: 'GET', url: `/v1/snapshots/${manifest.id}/files/${file.path}`, headers: auth(SUPPORT_TOKEN) });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['accept-ranges'], 'bytes');
    assert.equal(response.headers['content-length'], String(file.bytes));
    assert.equal(response.headers.etag, `"${file.sha256}"`);
    assert.equal(sha256(response.rawPayload), file.sha256);
    const card = await app.inject({ method: 'GET', url: `/v1/snapshots/${manifest.id}/files/README.md`, headers: auth(SUPPORT_TOKEN) });
    assert.equal(card.body, await readFile(join(dir, 'README.md'), 'utf8'));
    const manifestFile = await app.inject({ method: 'GET', url: `/v1/snapshots/${manifest.id}/files/manifest.json`, headers: auth(SUPPORT_TOKEN) });
    assert.deepEqual(manifestFile.json(), manifest);
  });

  test('Range requests get 206 with Content-Range; past the end gets 416 with a code', async () => {
    const file = manifest.files.find((f) => f.path === 'lineage.parquet')!;
    const bytes = await readFile(join(dir, file.path));
    const url = `/v1/snapshots/${manifest.id}/files/${file.path}`;
    const middle = await app.inject({ method: 'GET', url, headers: { ...auth(ALL_TOKEN), range: 'bytes=10-19' } });
    assert.equal(middle.statusCode, 206);
    assert.equal(middle.headers['content-range'], `bytes 10-19/${file.bytes}`);
    assert.deepEqual(middle.rawPayload, bytes.subarray(10, 20));
    const tail = await app.inject({ method: 'GET', url, headers: { ...auth(ALL_TOKEN), range: 'bytes=-4' } });
    assert.deepEqual(tail.rawPayload, bytes.subarray(bytes.length - 4));
    const open = await app.inject({ method: 'GET', url, headers: { ...auth(ALL_TOKEN), range: `bytes=${file.bytes - 3}-` } });
    assert.equal(open.headers['content-range'], `bytes ${file.bytes - 3}-${file.bytes - 1}/${file.bytes}`);
    const beyond = await app.inject({ method: 'GET', url, headers: { ...auth(ALL_TOKEN), range: `bytes=${file.bytes}-` } });
    assert.equal(beyond.statusCode, 416);
    assert.equal(beyond.headers['content-range'], `bytes */${file.bytes}`);
    assert.equal(beyond.json().error.code, 'SLUICE_ERR_RANGE_NOT_SATISFIABLE');
    const head = await app.inject({ method: 'HEAD', url, headers: auth(ALL_TOKEN) });
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers['content-length'], String(file.bytes));
  });

  test('files not in the manifest are 404 (no path escapes the snapshot), other datasets 403', async () => {
    for (const path of ['data/sft/nope.parquet', '..%2F..%2Ftags%2Flatest.json', 'data%2F..%2F..%2F..%2F_index']) {
      const response = await app.inject({ method: 'GET', url: `/v1/snapshots/${manifest.id}/files/${path}`, headers: auth(ALL_TOKEN) });
      assert.equal(response.statusCode, 404, path);
    }
    const forbidden = await app.inject({ method: 'GET', url: `/v1/snapshots/${manifest.id}/files/README.md`, headers: auth(OTHER_TOKEN) });
    assert.equal(forbidden.statusCode, 403);
  });
});
