import { SluiceError } from '@sluice/core';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createDuckDbWarehouse, type DuckDbWarehouseOptions } from '../src/index.ts';
import { stagedBatch } from './helpers/staged-batches.ts';

/** The materialiser never runs on its own: only readers (catchUp) and the next open move events. */
const HELD: Partial<DuckDbWarehouseOptions> = { materializeIdleMs: 3_600_000, materializeUrgentEvents: Infinity };

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-duckdb-staging-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('DuckDB staging log (acknowledged bodies, materialised later)', () => {
  test('reads see staged events at once, with the envelope from ingest and the payload as sent', () => withDir(async (dir) => {
    const warehouse = await createDuckDbWarehouse({ path: join(dir, 'w.duckdb'), ...HELD });
    try {
      const batch = stagedBatch(5, { skip: [1, 3], extra: { note: 'é ✓ "quoted"' } });
      const { duplicate } = await warehouse.append(batch);
      assert.deepEqual(duplicate, [false, false, false]);
      assert.equal(warehouse.materialization().pendingEvents, 3);

      const stored = await warehouse.listEvents({ limit: 10 });
      assert.equal(warehouse.materialization().pendingEvents, 0);
      assert.deepEqual(stored.map((e) => e.ingestSeq), [1, 2, 3]);
      stored.forEach((event, i) => {
        const { ingestSeq: _seq, ...rest } = event;
        assert.deepEqual(rest, batch.events[i]);
      });
      assert.equal(await warehouse.maxIngestSeq(), 3);
    } finally {
      await warehouse.close();
    }
  }));

  test('duplicates within and across staged batches are stored once', () => withDir(async (dir) => {
    const warehouse = await createDuckDbWarehouse({ path: join(dir, 'w.duckdb'), ...HELD });
    try {
      const first = stagedBatch(3);
      await warehouse.append(first);
      const again = { ...first, events: [...first.events, first.events[0]!], bodies: [{ json: first.bodies![0]!.json, positions: [0, 1, 2, 0] }] };
      assert.deepEqual((await warehouse.append(again)).duplicate, [true, true, true, true]);
      assert.equal((await warehouse.listEvents({ limit: 10 })).length, 3);
    } finally {
      await warehouse.close();
    }
  }));

  test('a backlog past maxPendingEvents refuses with SLUICE_ERR_QUEUE_FULL until a reader drains it', () => withDir(async (dir) => {
    const warehouse = await createDuckDbWarehouse({ path: join(dir, 'w.duckdb'), maxPendingEvents: 150, ...HELD });
    try {
      await warehouse.append(stagedBatch(100));
      await assert.rejects(warehouse.append(stagedBatch(100)), (error: unknown) =>
        error instanceof SluiceError && error.code === 'SLUICE_ERR_QUEUE_FULL' && error.status === 503);
      assert.equal((await warehouse.listEvents({ limit: 1000 })).length, 100);
      await warehouse.append(stagedBatch(100));
      assert.equal((await warehouse.listEvents({ limit: 1000 })).length, 200);
    } finally {
      await warehouse.close();
    }
  }));

  test('erasure and curation scans include events that were only staged', () => withDir(async (dir) => {
    const warehouse = await createDuckDbWarehouse({ path: join(dir, 'w.duckdb'), ...HELD });
    try {
      await warehouse.append(stagedBatch(4));
      const scanned = [];
      for await (const chunk of warehouse.scanEvents({ upToSeq: 4 })) scanned.push(...chunk);
      assert.equal(scanned.length, 4);
      await warehouse.append(stagedBatch(2));
      const erased = await warehouse.eraseUser({ tenant: 'acme', userId: 'user_42', requestEventId: 'req', erasedAt: Date.now() });
      assert.equal(erased.deletedEvents, 6);
    } finally {
      await warehouse.close();
    }
  }));

  test('a body DuckDB cannot read (lone surrogate) is materialised through JSON.parse instead', () => withDir(async (dir) => {
    const warehouse = await createDuckDbWarehouse({ path: join(dir, 'w.duckdb'), ...HELD });
    try {
      const good = stagedBatch(2);
      const odd = stagedBatch(2, { extra: { text: 'half an emoji \ud83d' } });
      await warehouse.append({ events: [...good.events, ...odd.events], quarantine: [], bodies: [...good.bodies!, ...odd.bodies!] });
      const stored = await warehouse.listEvents({ limit: 10 });
      assert.equal(stored.length, 4);
      // UTF-8 cannot hold a lone surrogate: it is stored as U+FFFD.
      assert.equal(stored[3]!.payload.text, 'half an emoji \ufffd');
      assert.deepEqual({ ...stored[3]!.payload, text: null }, { ...odd.events[1]!.payload, text: null });
      assert.equal(stored[0]!.eventId, good.events[0]!.eventId);
    } finally {
      await warehouse.close();
    }
  }));

  test('kill -9 after the staging commit: the next open materialises every acknowledged event exactly once', () => withDir(async (dir) => {
    const path = join(dir, 'w.duckdb');
    const child = spawn(process.execPath, [fileURLToPath(new URL('./helpers/stage-then-crash.ts', import.meta.url)), path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acknowledged: string[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith('pending')) {
        assert.equal(line, 'pending 200');
        break;
      }
      acknowledged.push(...(JSON.parse(line) as string[]));
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const warehouse = await createDuckDbWarehouse({ path, ...HELD });
    try {
      assert.equal(warehouse.materialization().pendingEvents, 0);
      const stored = await warehouse.listEvents({ limit: 1000 });
      assert.deepEqual(stored.map((e) => e.eventId).sort(), [...acknowledged].sort());
      assert.deepEqual(stored.map((e) => e.ingestSeq), stored.map((_, i) => i + 1));
      // The ids are known again: a client retrying after the crash gets duplicates.
      const retry = stagedBatch(1);
      const replay = { ...retry, events: [{ ...retry.events[0]!, eventId: acknowledged[0]! }] };
      assert.deepEqual((await warehouse.append(replay)).duplicate, [true]);
    } finally {
      await warehouse.close();
    }
  }));
});
