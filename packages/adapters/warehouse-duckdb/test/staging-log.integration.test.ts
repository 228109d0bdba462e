import { SluiceError } from '@sluice/core';
import assert from 'node:assert/strict';
import { appendFile, copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { blobValue, DuckDBInstance } from '@duckdb/node-api';
import { createDuckDbWarehouse, type DuckDbWarehouseOptions } from '../src/index.ts';
import { joinRecords } from '../src/ingest-log.ts';
import { ScratchBuffer } from '../src/scratch-buffer.ts';
import { openStagingLog } from '../src/staging-log.ts';
import { encodeRecord } from '../src/staging-record.ts';
import { segmentPath } from '../src/staging-recovery.ts';
import { legacyMeta } from './helpers/legacy-meta.ts';
import { stagedBatch, stagedRecord } from './helpers/staged-batches.ts';

/** The materialiser never runs on its own: records stay in the staging log until a read or the next open. */
const HELD: Partial<DuckDbWarehouseOptions> = { materializeIdleMs: 3_600_000, materializeUrgentEvents: Infinity };

async function withDir(body: (path: string, logDir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-staging-log-'));
  try {
    const path = join(dir, 'w.duckdb');
    await body(path, `${path}.staging-log`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Stages `batches` batches of `size` events with the materialiser held back, closes, and returns the event ids. */
async function stageAndClose(path: string, batches: number, size: number, options: Partial<DuckDbWarehouseOptions> = {}): Promise<string[]> {
  const warehouse = await createDuckDbWarehouse({ path, ...HELD, ...options });
  const ids: string[] = [];
  try {
    for (let i = 0; i < batches; i++) {
      const batch = stagedBatch(size);
      await warehouse.append(batch);
      ids.push(...batch.events.map((e) => e.eventId));
    }
    assert.equal(warehouse.materialization().pendingEvents, batches * size);
  } finally {
    await warehouse.close();
  }
  return ids;
}

async function storedIds(path: string): Promise<string[]> {
  const warehouse = await createDuckDbWarehouse({ path, ...HELD });
  try {
    assert.equal(warehouse.materialization().pendingEvents, 0, 'open materialises everything staged');
    return (await warehouse.listEvents({ limit: 10_000 })).map((e) => e.eventId);
  } finally {
    await warehouse.close();
  }
}

async function segments(logDir: string): Promise<string[]> {
  return (await readdir(logDir)).filter((name) => name.endsWith('.log')).sort();
}

describe('DuckDB staging log files (docs/decisions/0010)', () => {
  test('a restart replays every staged record into events once, and new records continue after them', () => withDir(async (path) => {
    const first = await stageAndClose(path, 3, 20);
    const second = await stageAndClose(path, 1, 20);
    const stored = await storedIds(path);
    assert.deepEqual(stored, [...first, ...second]);
    const warehouse = await createDuckDbWarehouse({ path, ...HELD });
    try {
      assert.deepEqual((await warehouse.listEvents({ limit: 100 })).map((e) => e.ingestSeq), stored.map((_, i) => i + 1));
    } finally {
      await warehouse.close();
    }
  }));

  for (const [name, tail] of [
    ['a record cut short', (record: Buffer) => record.subarray(0, record.length - 100)],
    ['a header cut short', (record: Buffer) => record.subarray(0, 7)],
    ['zeros (the size reached the disk, the data did not)', (record: Buffer) => Buffer.alloc(record.length)],
    ['a whole-length record whose bytes are wrong', (record: Buffer) => Buffer.from(record).fill(0x41, 40)],
  ] as const) {
    test(`a torn last write (${name}) was never acknowledged: truncated at open, nothing else lost`, () => withDir(async (path, logDir) => {
      const ids = await stageAndClose(path, 2, 10);
      const [segment] = await segments(logDir);
      const file = join(logDir, segment!);
      const bytes = await readFile(file);
      const firstRecord = bytes.subarray(0, 12 + bytes.readUInt32LE(4));
      await appendFile(file, tail(firstRecord));
      assert.deepEqual(await storedIds(path), ids);
      assert.equal((await stat(file)).size, bytes.length, 'the torn tail is gone');
    }));
  }

  test('a damaged record inside the log is refused with SLUICE_ERR_STAGING_LOG_CORRUPT, never dropped', () => withDir(async (path, logDir) => {
    await stageAndClose(path, 3, 10);
    const [segment] = await segments(logDir);
    const file = join(logDir, segment!);
    const bytes = await readFile(file);
    bytes[100] = bytes[100]! ^ 0xff; // inside the first record's bodies
    await writeFile(file, bytes);
    await assert.rejects(createDuckDbWarehouse({ path }), (error: unknown) =>
      error instanceof SluiceError && error.code === 'SLUICE_ERR_STAGING_LOG_CORRUPT' && error.details?.offset === 0 && error.details.fault === 'crc');
    // Nothing was dropped: the file is as it was.
    assert.deepEqual(await readFile(file), bytes);
  }));

  test('a missing segment (a gap in the seqs) is refused too', () => withDir(async (path, logDir) => {
    await stageAndClose(path, 3, 10, { stagingSegmentBytes: 1 });
    const names = await segments(logDir);
    assert.equal(names.length, 3, 'one record per segment');
    await rm(join(logDir, names[1]!));
    await assert.rejects(createDuckDbWarehouse({ path }), (error: unknown) =>
      error instanceof SluiceError && error.code === 'SLUICE_ERR_STAGING_LOG_CORRUPT');
  }));

  test('a crash after the materialising commit but before segments are deleted stores nothing twice', () => withDir(async (path, logDir) => {
    const ids = await stageAndClose(path, 3, 10, { stagingSegmentBytes: 1 });
    const names = await segments(logDir);
    for (const name of names) await copyFile(join(logDir, name), join(logDir, `${name}.copy`));
    // Open materialises all three records; the mark moves with them and the files go away.
    assert.deepEqual(await storedIds(path), ids);
    // As if the process had died right after the commit: the segments are back.
    for (const name of names) await copyFile(join(logDir, `${name}.copy`), join(logDir, name));
    assert.deepEqual(await storedIds(path), ids, 'each event once');
    assert.deepEqual(await segments(logDir), [], 'wholly materialised segments are deleted at open');
  }));

  test('segments roll at their size bound and are deleted once materialised', () => withDir(async (path, logDir) => {
    const warehouse = await createDuckDbWarehouse({ path, ...HELD, stagingSegmentBytes: 1 });
    try {
      for (let i = 0; i < 4; i++) await warehouse.append(stagedBatch(5));
      assert.equal((await segments(logDir)).length, 4);
      assert.equal((await warehouse.listEvents({ limit: 100 })).length, 20);
      assert.equal((await segments(logDir)).length, 1, 'only the segment being appended to is left');
    } finally {
      await warehouse.close();
    }
  }));

  test('ingest_log rows an older version staged (format 2) are materialised at open, before the staging log', () => withDir(async (path) => {
    await (await createDuckDbWarehouse({ path })).close();
    const batch = stagedBatch(4, { skip: [2] });
    const staged = [{ json: batch.bodies![0]!.json!, entries: batch.events.map((event, i) => ({ position: batch.bodies![0]!.positions[i]!, event, seq: i + 1 })) }];
    const row = stagedRecord(staged);
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run('INSERT INTO ingest_log (log_seq, events, bodies, meta, format) VALUES (1, $1, $2, $3, 2)', [row.events, blobValue(row.bodies), legacyMeta(staged)]);
    connection.closeSync();
    instance.closeSync();
    const warehouse = await createDuckDbWarehouse({ path, ...HELD });
    try {
      const stored = await warehouse.listEvents({ limit: 10 });
      assert.deepEqual(stored.map(({ ingestSeq: _seq, ...rest }) => rest), batch.events);
      // The next acknowledged events continue the sequence after the migrated ones.
      await warehouse.append(stagedBatch(2));
      assert.deepEqual((await warehouse.listEvents({ limit: 10 })).map((e) => e.ingestSeq), [1, 2, 3, 4, 5]);
    } finally {
      await warehouse.close();
    }
  }));
  test('records of version 1 (every column per entry, before decision 0013) left in the log are materialised at open, then new ones', () => withDir(async (path, logDir) => {
    await (await createDuckDbWarehouse({ path })).close();
    const batches = [stagedBatch(3), stagedBatch(4, { skip: [1] })];
    let seq = 0;
    const staged = batches.map((batch) => ({
      json: batch.bodies![0]!.json!, entries: batch.events.map((event, i) => ({ position: batch.bodies![0]!.positions[i]!, event, seq: ++seq })),
    }));
    const row = stagedRecord(staged);
    const { chunks } = encodeRecord({ version: 1, seq: 1, events: row.events, bodies: row.bodies, meta: Buffer.from(legacyMeta(staged)) });
    await mkdir(logDir, { recursive: true });
    await writeFile(segmentPath(logDir, 1), Buffer.concat(chunks));
    const warehouse = await createDuckDbWarehouse({ path, ...HELD });
    try {
      const later = stagedBatch(2);
      await warehouse.append(later);
      const stored = await warehouse.listEvents({ limit: 10 });
      assert.deepEqual(stored.map(({ ingestSeq: _seq, ...rest }) => rest), [...batches.flatMap((b) => b.events), ...later.events]);
      assert.deepEqual(stored.map((e) => e.ingestSeq), [1, 2, 3, 4, 5, 6, 7, 8]);
    } finally {
      await warehouse.close();
    }
  }));

  test('records held in memory and records read from their files come back together, in order', () => withDir(async (_path, logDir) => {
    // Room for the bodies of one record of these sizes (4 bytes each) at a time.
    const { log } = await openStagingLog(logDir, { materializedSeq: 0, segmentBytes: 64 * 2 ** 20, memoryBytes: 6 });
    try {
      const append = (i: number) => log.append(1, Buffer.from(`bod${i}`), Buffer.from(`[${i}]`));
      const text = (records: Array<{ seq: number; bodies: Buffer; meta: Buffer }>) => records.map((r) => `${r.seq}:${r.bodies}${r.meta}`);
      const first = await append(1); // held
      const second = await append(2); // no room: from the file
      assert.deepEqual(text(await log.read([first, second])), ['1:bod1[1]', '2:bod2[2]']);
      await log.release(1);
      const third = await append(3); // held again, in the room the first left
      assert.deepEqual(text(await log.read([second, third])), ['2:bod2[2]', '3:bod3[3]']);
    } finally {
      await log.close();
    }
  }));

  test('bodies written into bodiesBuffer are held without a copy; a refused append frees the room it held', () => withDir(async (_path, logDir) => {
    const { log } = await openStagingLog(logDir, { materializedSeq: 0, segmentBytes: 64 * 2 ** 20, memoryBytes: 64 });
    const room = log.bodiesBuffer(5);
    room.write('first');
    const ref = await log.append(1, room, Buffer.from('[1]'));
    const [record] = await log.read([ref]);
    assert.equal(record!.bodies.buffer, room.buffer, 'the very memory that was filled');
    assert.equal(`${record!.bodies}${record!.meta}`, 'first[1]');
    const second = log.bodiesBuffer(6);
    second.write('second');
    assert.equal(log.bodiesBuffer(6).buffer === second.buffer && log.bodiesBuffer(6).byteOffset === second.byteOffset, false, 'one reservation at a time');
    await log.close();
    await assert.rejects(log.append(1, second, Buffer.from('[2]')), { code: 'SLUICE_ERR_STORAGE_UNAVAILABLE' });
    const after = log.bodiesBuffer(6);
    assert.equal(after.buffer, second.buffer, 'the refused append gave its room back');
    assert.equal(after.byteOffset, second.byteOffset);
  }));

  test('bodies of records appended in a row are joined for the materialiser without a copy, from files with one', () => withDir(async (_path, logDir) => {
    const { log } = await openStagingLog(logDir, { materializedSeq: 0, segmentBytes: 64 * 2 ** 20, memoryBytes: 64 });
    try {
      const refs = [];
      for (const [i, text] of ['{"a":1}', '{"b":2}\u001e{"c":3}', '{"d":4}'].entries()) {
        const bodies = log.bodiesBuffer(Buffer.byteLength(text));
        bodies.write(text);
        refs.push(await log.append(1, bodies, Buffer.from(`[{"s1":${i}}]`)));
      }
      const scratch = new ScratchBuffer();
      const held = joinRecords(await log.read(refs), scratch);
      assert.equal(held.bodies.buffer, (await log.read(refs.slice(0, 1)))[0]!.bodies.buffer, 'a view of the held bodies');
      const expected = ['{"a":1}', '{"b":2}\u001e{"c":3}', '{"d":4}'].join('\u001d');
      assert.equal(Buffer.from(held.bodies).toString(), expected);
      assert.equal(Buffer.from(held.meta).toString(), '[{"s1":0},{"s1":1},{"s1":2}]');
      // The same records from their files: copied, the same bytes.
      const { log: reopened, pending } = await openStagingLog(logDir, { materializedSeq: 0, segmentBytes: 64 * 2 ** 20, memoryBytes: 64 });
      try {
        const fromFiles = joinRecords(await reopened.read(pending), new ScratchBuffer());
        assert.equal(Buffer.from(fromFiles.bodies).toString(), expected);
        assert.equal(Buffer.from(fromFiles.meta).toString(), '[{"s1":0},{"s1":1},{"s1":2}]');
      } finally {
        await reopened.close();
      }
    } finally {
      await log.close();
    }
  }));

  test('records past the memory bound are read back from their files, the same bytes', () => withDir(async (_path, logDir) => {
    const { log } = await openStagingLog(logDir, { materializedSeq: 0, segmentBytes: 64 * 2 ** 20, memoryBytes: 1 });
    try {
      const written = [Buffer.from('first'), Buffer.from('second entry'), Buffer.from('third')];
      const refs = [];
      for (const [i, bodies] of written.entries()) refs.push(await log.append(i + 1, bodies, Buffer.from(`[${i}]`)));
      const read = await log.read(refs);
      assert.deepEqual(read.map((r) => [r.seq, r.events, r.bodies.toString(), r.meta.toString()]),
        [[1, 1, 'first', '[0]'], [2, 2, 'second entry', '[1]'], [3, 3, 'third', '[2]']]);
    } finally {
      await log.close();
    }
  }));
});
