import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WRITE_KEY, exampleEvent, removeDir } from './helpers.ts';
import { allStoredIds, freePort, startServerProcess, stopServerProcess } from './server-process.ts';

const BATCH = 50;
const CLIENTS = 8;

async function send(url: string, events: Array<Record<string, unknown>>): Promise<{ accepted: number; duplicates: number } | null> {
  try {
    const response = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${WRITE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    return response.ok ? (await response.json()) as { accepted: number; duplicates: number } : null;
  } catch {
    return null; // connection reset by the kill: not acknowledged
  }
}

test('kill -9 under load loses no acknowledged event and stores none twice', { timeout: 180_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-kill9-'));
  const port = await freePort();
  const sent: Array<Array<Record<string, unknown>>> = [];
  const acknowledged = new Set<string>();
  try {
    for (const killAfterMs of [700, 1300]) {
      const server = await startServerProcess(dir, port);
      let running = true;
      const clients = Array.from({ length: CLIENTS }, async () => {
        while (running) {
          const events = Array.from({ length: BATCH }, () => exampleEvent('generation', { event_id: randomUUID() }));
          sent.push(events);
          const result = await send(server.url, events);
          if (result === null) return;
          assert.equal(result.accepted + result.duplicates, BATCH);
          for (const e of events) acknowledged.add(e.event_id as string);
        }
      });
      await sleep(killAfterMs);
      await stopServerProcess(server, 'SIGKILL');
      running = false;
      await Promise.all(clients);
    }
    assert.ok(acknowledged.size >= BATCH * CLIENTS, `load ran (${acknowledged.size} acknowledged)`);

    const server = await startServerProcess(dir, port);
    try {
      t.diagnostic(`${sent.length * BATCH} events sent, ${acknowledged.size} acknowledged before two kill -9s`);
      const stored = await allStoredIds(server.url);
      const storedSet = new Set(stored);
      assert.equal(storedSet.size, stored.length, 'no event stored twice');
      const lost = [...acknowledged].filter((id) => !storedSet.has(id));
      assert.deepEqual(lost, [], 'every acknowledged event survived kill -9');
      const sentIds = new Set(sent.flat().map((e) => e.event_id as string));
      assert.ok(stored.every((id) => sentIds.has(id)), 'nothing stored that was not sent');

      // Clients retry everything they are unsure of: acknowledged ones come back as duplicates.
      let duplicates = 0;
      for (const events of sent) {
        const result = await send(server.url, events);
        assert.ok(result, 'retry accepted');
        duplicates += result.duplicates;
      }
      assert.ok(duplicates >= acknowledged.size);
      const after = await allStoredIds(server.url);
      assert.equal(new Set(after).size, after.length, 'retries stored nothing twice');
      assert.equal(after.length, sentIds.size, 'every sent event is stored exactly once after the retries');
    } finally {
      await stopServerProcess(server);
    }
  } finally {
    await removeDir(dir);
  }
});
