import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WRITE_KEY, exampleEvent, removeDir } from './helpers.ts';
import { allStoredIds, freePort, startServerProcess, stopServerProcess } from './server-process.ts';

test('a duplicate event_id is recognised across a graceful restart', { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-restart-'));
  const port = await freePort();
  const events = [exampleEvent('generation'), exampleEvent('feedback')];
  const post = (url: string) => fetch(`${url}/v1/batch`, {
    method: 'POST', headers: { authorization: `Bearer ${WRITE_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ events }),
  }).then((r) => r.json());
  try {
    let server = await startServerProcess(dir, port);
    assert.deepEqual(await post(server.url), { accepted: 2, duplicates: 0, rejected: [] });
    assert.equal(await stopServerProcess(server), 0, 'SIGTERM shuts down cleanly');
    server = await startServerProcess(dir, port);
    try {
      assert.deepEqual(await post(server.url), { accepted: 0, duplicates: 2, rejected: [] });
      assert.equal((await allStoredIds(server.url)).length, 2);
    } finally {
      await stopServerProcess(server);
    }
  } finally {
    await removeDir(dir);
  }
});

test('an invalid configuration stops startup with a readable message and the config code', { timeout: 30_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-badconfig-'));
  try {
    await assert.rejects(startServerProcess(dir, await freePort(), { SLUICE_PORT: 'eighty', SLUICE_WRITE_KEYS: 'short:acme/web' }),
      (error: Error) => /SLUICE_ERR_CONFIG_INVALID/.test(error.message) && /server\.port/.test(error.message) && /auth\.writeKeys\.0\.key/.test(error.message));
  } finally {
    await removeDir(dir);
  }
});
