import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeIngestedEvent, makeSample } from '@sluice/core/testing';
import { carryOutErasureRequests, userPseudonym } from '@sluice/curate';
import type { FastifyInstance } from 'fastify';
import { exportSnapshot, pullSnapshot } from '../src/index.ts';
import { SUPPORT_TOKEN, auth, buildApp } from './helpers/http-app.ts';
import { openFixture, seedRun, type ExportFixture } from './helpers/seed-run.ts';

const PSEUDONYM_KEY = 'erasure-test-key-0123456789';
/** What the split step wrote for these users' samples. */
const gone = userPseudonym(PSEUDONYM_KEY, 'user:gone');
const stays = userPseudonym(PSEUDONYM_KEY, 'user:stays');

describe('erasure marks the published snapshots that hold the user; their files stay as they are', () => {
  let fx: ExportFixture;
  let app: FastifyInstance;
  let baseUrl: string;
  let withUser: string;
  let withoutUser: string;
  let to: string;

  before(async () => {
    fx = await openFixture();
    const sample = (i: number, userKey: string) => makeSample({ sampleId: `s_${i}`, userKey, split: 'train' });
    const both = await seedRun(fx.store, [sample(1, gone), sample(2, stays)], { rulesetName: 'both' });
    const one = await seedRun(fx.store, [sample(3, stays)], { rulesetName: 'one' });
    withUser = (await exportSnapshot({ store: fx.store, blobStore: fx.blobStore, runId: both, name: 'support-bot', formats: ['sft'] })).manifest.id;
    withoutUser = (await exportSnapshot({ store: fx.store, blobStore: fx.blobStore, runId: one, name: 'support-bot', formats: ['sft'] })).manifest.id;
    app = await buildApp(fx.blobStore, fx.store);
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    to = await mkdtemp(join(tmpdir(), 'sluice-pull-erased-'));
  });
  after(async () => {
    await app.close();
    await fx.close();
    await rm(to, { recursive: true, force: true });
  });

  const erasures = async (id: string) => (await app.inject({ method: 'GET', url: `/v1/snapshots/${id}/erasures`, headers: auth(SUPPORT_TOKEN) })).json();

  test('before the erasure no snapshot is marked', async () => {
    assert.deepEqual(await erasures(withUser), { snapshot_id: withUser, contains_erased_users: false, erased_users: [] });
    const manifest = await app.inject({ method: 'GET', url: `/v1/snapshots/${withUser}`, headers: auth(SUPPORT_TOKEN) });
    assert.equal(manifest.headers['x-sluice-contains-erased-users'], 'false');
  });

  test('after `sluice erase`, the snapshot holding the user is marked in the API, the listing and on pull', async () => {
    const request = makeIngestedEvent({ tenant: 'acme', userId: 'gone', type: 'erasure_request' });
    await fx.store.append({ events: [request], quarantine: [] });
    const erased = await carryOutErasureRequests(fx.store, { pseudonymKey: PSEUDONYM_KEY, now: () => Date.UTC(2026, 11, 1) });
    assert.deepEqual(erased.map((e) => e.userId), ['gone']);

    assert.deepEqual(await erasures(withUser), {
      snapshot_id: withUser, contains_erased_users: true, erased_users: [{ user_key: gone, erased_at: '2026-12-01T00:00:00.000Z' }],
    });
    assert.equal((await erasures(withoutUser)).contains_erased_users, false);
    const manifest = await app.inject({ method: 'GET', url: `/v1/snapshots/${withUser}`, headers: auth(SUPPORT_TOKEN) });
    assert.equal(manifest.headers['x-sluice-contains-erased-users'], 'true');
    assert.equal(manifest.json().id, withUser, 'the manifest itself is unchanged');
    const listing = (await app.inject({ method: 'GET', url: '/v1/datasets/support-bot/snapshots', headers: auth(SUPPORT_TOKEN) })).json();
    assert.deepEqual(Object.fromEntries(listing.snapshots.map((s: { id: string; contains_erased_users: boolean }) => [s.id, s.contains_erased_users])),
      { [withUser]: true, [withoutUser]: false });

    const pulled = await pullSnapshot({ baseUrl, token: SUPPORT_TOKEN, name: 'support-bot', ref: withUser, to });
    assert.deepEqual(pulled.erasedUsers, [{ user_key: gone, erased_at: '2026-12-01T00:00:00.000Z' }]);
  });

  test('a server without a warehouse says so, and pull reports no marks rather than failing', async () => {
    const bare = await buildApp(fx.blobStore);
    try {
      const response = await bare.inject({ method: 'GET', url: `/v1/snapshots/${withUser}/erasures`, headers: auth(SUPPORT_TOKEN) });
      assert.equal(response.json().error.code, 'SLUICE_ERR_FEATURE_UNAVAILABLE');
      const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
      const pulled = await pullSnapshot({ baseUrl: bareUrl, token: SUPPORT_TOKEN, name: 'support-bot', ref: withUser, to });
      assert.equal(pulled.erasedUsers, null);
    } finally {
      await bare.close();
    }
  });
});
