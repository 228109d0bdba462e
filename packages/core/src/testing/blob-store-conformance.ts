import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SluiceError } from '../errors.ts';
import { compareBlobKeys, type BlobObjectInfo, type BlobStore } from '../ports/blob-store.ts';

export interface BlobStoreHarness {
  /**
   * A store on fresh storage. Multipart adapters should use their smallest part size (5 MiB) so
   * the suite's 12 MiB bodies take several parts.
   */
  store: BlobStore;
  /**
   * Write state the port hides, read from the backing storage directly: the local store's temp
   * files, S3's incomplete multipart uploads. Lets the suite check a failed write cleaned up.
   */
  pendingWrites(): Promise<number>;
  /** Closes nothing; removes the storage (the suite closes the store first). */
  cleanup(): Promise<void>;
}

const MiB = 1024 * 1024;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function collect(iterable: AsyncIterable<BlobObjectInfo>): Promise<BlobObjectInfo[]> {
  const out: BlobObjectInfo[] = [];
  for await (const info of iterable) out.push(info);
  return out;
}

/** Yields `bytes` in `chunkSize` slices, giving the event loop a turn between them. */
async function* chunked(bytes: Uint8Array, chunkSize: number, hooks: { after?: number; pause?: Promise<void>; fail?: Error } = {}) {
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    if (hooks.after !== undefined && offset >= hooks.after) {
      if (hooks.pause) await hooks.pause;
      if (hooks.fail) throw hooks.fail;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
    yield bytes.subarray(offset, Math.min(offset + chunkSize, bytes.length));
  }
}

function isCode(code: SluiceError['code']) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof SluiceError, `expected SluiceError ${code}, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  };
}

/**
 * The BlobStore port's contract. Every adapter runs this same suite against its real backend
 * (a directory, an S3-compatible server). Each test works under its own random prefix.
 */
export function runBlobStoreConformance(name: string, createHarness: () => Promise<BlobStoreHarness>): void {
  describe(`BlobStore conformance: ${name}`, () => {
    let harness: BlobStoreHarness;
    let store: BlobStore;
    let scratch: string;
    let base: string;
    const key = (suffix: string) => `${base}/${randomUUID().slice(0, 8)}/${suffix}`;
    before(async () => {
      harness = await createHarness();
      store = harness.store;
      scratch = await mkdtemp(join(tmpdir(), 'sluice-blob-conformance-'));
      base = `conformance-${randomUUID().slice(0, 8)}`;
    });
    after(async () => {
      await store.close();
      await harness.cleanup();
      await rm(scratch, { recursive: true, force: true });
    });

    async function assertAbsent(k: string) {
      assert.equal(await store.head(k), null);
      await assert.rejects(store.get(k), isCode('SLUICE_ERR_BLOB_NOT_FOUND'));
      const listed = await collect(store.list(k.slice(0, k.lastIndexOf('/') + 1)));
      assert.deepEqual(listed.filter((info) => info.key === k), []);
    }

    async function assertHolds(k: string, expected: Uint8Array) {
      const read = await store.get(k);
      const bytes = await readAll(read.body);
      assert.equal(read.size, expected.length);
      assert.equal(read.contentLength, expected.length);
      assert.equal(sha256(bytes), sha256(expected));
    }

    test('string, bytes, async-iterable and empty bodies read back byte-identical with their size and sha256', async () => {
      const text = 'naïve 🤖 {"messages": []}\n';
      const bytes = randomBytes(70_000);
      const streamed = randomBytes(300_000);
      const cases: [string, Uint8Array, Parameters<BlobStore['put']>[1]][] = [
        [key('manifest.json'), Buffer.from(text), text],
        [key('données/é ü/a+b=c&d #1.parquet'), bytes, bytes],
        [key('streamed.jsonl'), streamed, chunked(streamed, 4099)],
        [key('empty'), new Uint8Array(0), new Uint8Array(0)],
      ];
      for (const [k, expected, body] of cases) {
        const written = await store.put(k, body, { contentType: 'application/octet-stream' });
        assert.deepEqual(written, { size: expected.length, sha256: sha256(expected) }, k);
        await assertHolds(k, expected);
        const info = await store.head(k);
        assert.ok(info, k);
        assert.equal(info.key, k);
        assert.equal(info.size, expected.length);
        if (info.sha256 !== undefined) assert.equal(info.sha256, written.sha256);
        if (info.contentType !== undefined) assert.equal(info.contentType, 'application/octet-stream');
        if (info.lastModified !== undefined) assert.ok(Math.abs(info.lastModified - Date.now()) < 10 * 60_000);
      }
    });

    test('a streamed body of more than 20 MB, in odd-sized chunks, reads back byte-identical', async () => {
      const k = key('shard.parquet');
      const content = randomBytes(21 * MiB + 123);
      const written = await store.put(k, chunked(content, 65_537));
      assert.deepEqual(written, { size: content.length, sha256: sha256(content) });
      await assertHolds(k, content);
    });

    test('putFile uploads a 12 MiB file, verifies it, and it reads back byte-identical', async () => {
      const k = key('data/default/train-00000-of-00001.parquet');
      const content = randomBytes(12 * MiB + 7);
      const path = join(scratch, 'shard.parquet');
      await writeFile(path, content);
      const written = await store.putFile(k, path, { contentType: 'application/vnd.apache.parquet' });
      assert.deepEqual(written, { size: content.length, sha256: sha256(content) });
      await assertHolds(k, content);
      const info = await store.head(k);
      assert.equal(info?.size, content.length);
      if (info?.sha256 !== undefined) assert.equal(info.sha256, written.sha256);
      assert.equal(await harness.pendingWrites(), 0);
    });

    test('putFile of a missing file rejects with SLUICE_ERR_INPUT_INVALID and writes nothing', async () => {
      const k = key('missing.parquet');
      await assert.rejects(store.putFile(k, join(scratch, 'does-not-exist')), isCode('SLUICE_ERR_INPUT_INVALID'));
      await assertAbsent(k);
    });

    test('range reads return [start, end) clamped to the object', async () => {
      const k = key('ranged.bin');
      const content = randomBytes(1000);
      await store.put(k, content);
      const cases: [{ start: number; end?: number }, Uint8Array][] = [
        [{ start: 0, end: 10 }, content.subarray(0, 10)],
        [{ start: 990 }, content.subarray(990)],
        [{ start: 100, end: 101 }, content.subarray(100, 101)],
        [{ start: 500, end: 5000 }, content.subarray(500)],
        [{ start: 0 }, content],
        [{ start: 7, end: 7 }, new Uint8Array(0)],
        [{ start: 1000 }, new Uint8Array(0)],
        [{ start: 4000, end: 5000 }, new Uint8Array(0)],
      ];
      for (const [range, expected] of cases) {
        const read = await store.get(k, range);
        const bytes = await readAll(read.body);
        assert.equal(read.size, 1000, JSON.stringify(range));
        assert.equal(read.contentLength, expected.length, JSON.stringify(range));
        assert.deepEqual(bytes, Buffer.from(expected), JSON.stringify(range));
      }
      const empty = key('empty-ranged');
      await store.put(empty, '');
      const read = await store.get(empty, { start: 0, end: 10 });
      assert.deepEqual([read.size, read.contentLength, (await readAll(read.body)).length], [0, 0, 0]);
    });

    test('a missing key: head is null, get (whole or ranged) throws SLUICE_ERR_BLOB_NOT_FOUND', async () => {
      const k = key('nothing-here');
      assert.equal(await store.head(k), null);
      await assert.rejects(store.get(k), isCode('SLUICE_ERR_BLOB_NOT_FOUND'));
      await assert.rejects(store.get(k, { start: 0, end: 1 }), isCode('SLUICE_ERR_BLOB_NOT_FOUND'));
      await assert.rejects(store.get(k, { start: 3, end: 3 }), isCode('SLUICE_ERR_BLOB_NOT_FOUND'));
      // A "folder" is not an object.
      await store.put(`${k}/child`, 'x');
      assert.equal(await store.head(k), null);
      await assert.rejects(store.get(k), isCode('SLUICE_ERR_BLOB_NOT_FOUND'));
    });

    test('list yields the objects under a string prefix in UTF-8 byte order, with sizes', async () => {
      const dir = key('');
      const names = ['a-c', 'a/b', 'a.txt', 'a0', 'b/c/d/e.parquet', 'é', 'z', 'ab/x'];
      for (const [i, n] of names.entries()) await store.put(dir + n, 'x'.repeat(i));
      const sorted = names.map((n) => dir + n).sort(compareBlobKeys);
      const all = await collect(store.list(dir));
      assert.deepEqual(all.map((info) => info.key), sorted);
      for (const info of all) assert.equal(info.size, names.indexOf(info.key.slice(dir.length)));
      assert.deepEqual((await collect(store.list(`${dir}a`))).map((i) => i.key.slice(dir.length)), ['a-c', 'a.txt', 'a/b', 'a0', 'ab/x']);
      assert.deepEqual((await collect(store.list(`${dir}a/`))).map((i) => i.key.slice(dir.length)), ['a/b']);
      assert.deepEqual((await collect(store.list(`${dir}b/c`))).map((i) => i.key.slice(dir.length)), ['b/c/d/e.parquet']);
      assert.deepEqual(await collect(store.list(`${dir}nope/`)), []);
      assert.deepEqual(await collect(store.list(`${dir}z/`)), []);
      const everything = await collect(store.list(''));
      assert.ok(everything.length >= names.length);
      assert.deepEqual(everything.map((i) => i.key), everything.map((i) => i.key).sort(compareBlobKeys));
    });

    test('an in-flight put is invisible to head, get and list until it completes', async () => {
      const k = key('in-flight.parquet');
      const content = randomBytes(12 * MiB);
      let release!: () => void;
      const pause = new Promise<void>((resolve) => (release = resolve));
      // Past two 5 MiB parts, so a multipart upload (or a temp file) exists while it waits.
      const writing = store.put(k, chunked(content, 256 * 1024, { after: 11 * MiB, pause }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await assertAbsent(k);
      assert.ok(!(await collect(store.list(''))).some((info) => info.key.includes('.tmp') || info.key === k));
      for (const reserved of ['.tmp/', '.tmp', '.']) assert.deepEqual(await collect(store.list(reserved)), [], reserved);
      release();
      await writing;
      await assertHolds(k, content);
    });

    test('a put whose body throws mid-stream rethrows, leaves nothing under the key and no pending writes', async () => {
      // The large one fails after two 5 MiB parts, when a multipart upload is under way.
      for (const [size, after, chunk] of [[64 * 1024, 32 * 1024, 8 * 1024], [12 * MiB, 11 * MiB, 256 * 1024]] as const) {
        const k = key(`broken-${size}`);
        const failure = new Error('source went away');
        await assert.rejects(store.put(k, chunked(randomBytes(size), chunk, { after, fail: failure })), (e) => e === failure);
        await assertAbsent(k);
        assert.equal(await harness.pendingWrites(), 0);
      }
    });

    test('a failed overwrite keeps the previous object', async () => {
      const k = key('kept.json');
      const previous = Buffer.from('{"v":1}');
      await store.put(k, previous);
      await assert.rejects(store.put(k, chunked(randomBytes(12 * MiB), 512 * 1024, { after: 11 * MiB, fail: new Error('boom') })));
      await assertHolds(k, previous);
      assert.equal(await harness.pendingWrites(), 0);
    });

    test('overwriting is atomic: concurrent readers see the whole old or the whole new object', async () => {
      const k = key('overwritten.parquet');
      const v1 = randomBytes(6 * MiB);
      const v2 = randomBytes(6 * MiB + 11);
      await store.put(k, v1);
      let done = false;
      const writing = store.put(k, chunked(v2, 128 * 1024)).finally(() => (done = true));
      const seen = new Set<string>();
      while (!done) {
        const read = await store.get(k);
        const bytes = await readAll(read.body);
        assert.equal(read.size, bytes.length);
        seen.add(sha256(bytes));
      }
      await writing;
      seen.add(sha256(await readAll((await store.get(k)).body)));
      for (const hash of seen) assert.ok(hash === sha256(v1) || hash === sha256(v2), 'a reader saw a partial or mixed object');
      assert.ok(seen.has(sha256(v2)));
    });

    test('concurrent puts to one key leave exactly one of them, whole', async () => {
      const k = key('raced.bin');
      const bodies = [randomBytes(200_000), randomBytes(300_000), randomBytes(1000)];
      await Promise.all(bodies.map((b) => store.put(k, chunked(b, 10_000))));
      const bytes = await readAll((await store.get(k)).body);
      assert.ok(bodies.some((b) => b.equals(bytes)));
    });

    test('delete removes the object and is idempotent', async () => {
      const k = key('deleted.json');
      await store.delete(k);
      await store.put(k, 'x');
      await store.delete(k);
      await assertAbsent(k);
      await store.delete(k);
    });

    test('invalid keys, prefixes and ranges are rejected with SLUICE_ERR_INPUT_INVALID', async () => {
      const badKeys = ['', '/abs/key', 'a//b', 'a/../b', '..', './a', 'a/.', 'a\\b', 'a/', '.tmp/x', 'a\u0000b', 'x'.repeat(1025)];
      for (const bad of badKeys) {
        const code = isCode('SLUICE_ERR_INPUT_INVALID');
        await assert.rejects(store.put(bad, 'x'), code, JSON.stringify(bad));
        await assert.rejects(store.putFile(bad, join(scratch, 'any')), code);
        await assert.rejects(store.get(bad), code);
        await assert.rejects(store.head(bad), code);
        await assert.rejects(store.delete(bad), code);
        await assert.rejects(store.presignGet(bad, 60), code);
      }
      for (const bad of ['/abs', '../x', 'a/../', 'a\\', 'a//']) {
        await assert.rejects(collect(store.list(bad)), isCode('SLUICE_ERR_INPUT_INVALID'), JSON.stringify(bad));
      }
      const k = key('range-checked');
      await store.put(k, 'abc');
      for (const range of [{ start: -1 }, { start: 2, end: 1 }, { start: 1.5 }, { start: 0, end: Number.NaN }]) {
        await assert.rejects(store.get(k, range), isCode('SLUICE_ERR_INPUT_INVALID'), JSON.stringify(range));
      }
      for (const seconds of [0, -5, 1.5, 8 * 24 * 3600]) {
        await assert.rejects(store.presignGet(k, seconds), isCode('SLUICE_ERR_INPUT_INVALID'), String(seconds));
      }
    });

    test('a presigned URL, when the store hands one out, serves the object over plain HTTP', async () => {
      const k = key('données/presigned shard+1.parquet');
      const content = randomBytes(100_000);
      await store.put(k, content);
      const url = await store.presignGet(k, 300);
      if (url === null) return;
      const response = await fetch(url);
      assert.equal(response.status, 200);
      assert.equal(sha256(new Uint8Array(await response.arrayBuffer())), sha256(content));
      const ranged = await fetch(url, { headers: { range: 'bytes=10-19' } });
      assert.equal(ranged.status, 206);
      assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), content.subarray(10, 20));
      const missing = await store.presignGet(key('never-written'), 60);
      assert.ok(missing);
      assert.equal((await fetch(missing)).status, 404);
    });
  });
}
