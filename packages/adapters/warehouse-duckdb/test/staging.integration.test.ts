import { SluiceError, type IngestedEvent } from '@sluice/core';
import { blobValue, DuckDBInstance } from '@duckdb/node-api';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventsOfRecord } from '../src/ingest-log.ts';
import { createDuckDbWarehouse, type DuckDbWarehouseOptions } from '../src/index.ts';
import { stagedBatch, stagedRecord } from './helpers/staged-batches.ts';

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

  test('envelope columns round-trip whether a body\'s entries share them (written once) or not (one list), in SQL and in JS', () => withDir(async (dir) => {
    const varied = stagedBatch(4);
    const overrides: Array<Partial<IngestedEvent>> = [
      { type: 'generation', sentAt: null, userId: null, anonymousId: 'anon_1', traceId: 'trace_1' },
      { type: 'feedback', occurredAt: Date.UTC(2001, 0, 1), sentAt: Date.UTC(2026, 10, 29, 11), timestamp: Date.UTC(2001, 0, 1, 0, 0, 1), sessionId: null },
      { type: 'span', userId: 'user_7', parentId: 'span_0', sessionId: 'sess_2' },
      { type: 'generation', sentAt: null, userId: 'user_7' },
    ];
    varied.events = varied.events.map((e, i) => ({ ...e, ...overrides[i] }));
    const same = stagedBatch(3);
    const batch = { events: [...varied.events, ...same.events], quarantine: [], bodies: [...varied.bodies!, { ...same.bodies![0]!, positions: same.bodies![0]!.positions }] };
    const warehouse = await createDuckDbWarehouse({ path: join(dir, 'w.duckdb'), ...HELD });
    try {
      await warehouse.append(batch);
      const stored = await warehouse.listEvents({ limit: 10 });
      assert.deepEqual(stored.map(({ ingestSeq: _seq, ...rest }) => rest), batch.events);
      assert.deepEqual(stored.map((e) => e.ingestSeq), [1, 2, 3, 4, 5, 6, 7]);
    } finally {
      await warehouse.close();
    }
    // The JS reader (the fallback for a record DuckDB refuses).
    const seqs = [5, 6, 7, 8, 9, 10, 11];
    let k = 0;
    const staged = batch.bodies.map((body) => ({ json: body.json!, entries: body.positions.map((position) => ({ position, event: batch.events[k]!, seq: seqs[k++]! })) }));
    const row = stagedRecord(staged);
    assert.deepEqual(eventsOfRecord(row.bodies, row.meta), batch.events.map(({ payload, ...event }, i) => ({ seq: seqs[i], payload, event })));
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
      const refused = stagedBatch(100);
      await assert.rejects(warehouse.append(refused), (error: unknown) =>
        error instanceof SluiceError && error.code === 'SLUICE_ERR_QUEUE_FULL' && error.status === 503);
      assert.equal((await warehouse.listEvents({ limit: 1000 })).length, 100);
      // The client's retry of the refused batch is stored, not counted as duplicates.
      const { duplicate } = await warehouse.append(refused);
      assert.deepEqual(duplicate, refused.events.map(() => false));
      assert.equal((await warehouse.listEvents({ limit: 1000 })).length, 200);
    } finally {
      await warehouse.close();
    }
  }));

  test('a batch refused for a malformed event id leaves none of its ids claimed', () => withDir(async (dir) => {
    const warehouse = await createDuckDbWarehouse({ path: join(dir, 'w.duckdb'), ...HELD });
    try {
      const batch = stagedBatch(3);
      const broken = { ...batch, events: batch.events.map((e, i) => (i === 2 ? { ...e, eventId: 'not-a-uuid' } : e)) };
      await assert.rejects(warehouse.append(broken));
      const { duplicate } = await warehouse.append(batch);
      assert.deepEqual(duplicate, [false, false, false]);
      assert.equal((await warehouse.listEvents({ limit: 10 })).length, 3);
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

  test('a body with a lone surrogate escape is staged from the parsed events instead (U+FFFD)', () => withDir(async (dir) => {
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

  test('payloads are copied out of the body as sent: escapes, brackets and quotes in strings, any spacing', () => withDir(async (dir) => {
    const warehouse = await createDuckDbWarehouse({ path: join(dir, 'w.duckdb'), ...HELD });
    try {
      const batch = stagedBatch(4, { skip: [2], extra: { tricky: ['"]},{[', '\\"', 'é😀\u2028', { events: [1, { '"}': 'x' }] }] } });
      // The client's own layout: spaces and newlines, and escapes JSON.stringify would not write.
      const body = Buffer.from(batch.bodies![0]!.json!).toString('utf8');
      const spaced = Buffer.from(JSON.stringify(JSON.parse(body), null, 2).replaceAll('é', '\\u00e9').replaceAll('😀', '\\ud83d\\ude00'));
      await warehouse.append({ ...batch, bodies: [{ ...batch.bodies![0]!, json: spaced }] });
      const stored = await warehouse.listEvents({ limit: 10 });
      assert.equal(stored.length, 3);
      stored.forEach((event, i) => assert.deepEqual(event.payload, batch.events[i]!.payload));
    } finally {
      await warehouse.close();
    }
  }));

  test('rows staged in the previous layout (format 1: whole bodies as a JSON array) are materialised at open', () => withDir(async (dir) => {
    const path = join(dir, 'w.duckdb');
    await (await createDuckDbWarehouse({ path })).close();
    const batch = stagedBatch(3, { skip: [1] });
    const [a, b] = batch.events as [IngestedEvent, IngestedEvent];
    const column = <T>(first: T, last: T) => [first, null, last];
    const meta = [{
      tn: a.tenant, src: a.source, r: a.receivedAt, ip: a.clientIp, s: column(1, 2), id: column(a.eventId, b.eventId),
      t: column(a.type, b.type), o: column(a.occurredAt, b.occurredAt), se: column(a.sentAt, b.sentAt),
      ts: column(a.timestamp, b.timestamp), u: column(a.userId, b.userId), a: column(a.anonymousId, b.anonymousId),
      ss: column(a.sessionId, b.sessionId), tr: column(a.traceId, b.traceId), p: column(a.parentId, b.parentId),
    }];
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run('INSERT INTO ingest_log (log_seq, events, bodies, meta, format) VALUES (1, 2, $1, $2, 1)',
      [blobValue(Buffer.concat([Buffer.from('['), batch.bodies![0]!.json!, Buffer.from(']')])), JSON.stringify(meta)]);
    connection.closeSync();
    instance.closeSync();

    const warehouse = await createDuckDbWarehouse({ path });
    try {
      const stored = await warehouse.listEvents({ limit: 10 });
      assert.deepEqual(stored.map(({ ingestSeq: _seq, ...rest }) => rest), [a, b]);
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
