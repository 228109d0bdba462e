import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SluiceError, type BlobStore } from '@sluice/core';
import { s3Checksum, sha256 } from '../src/checksums.ts';
import { createS3BlobStore } from '../src/index.ts';
import { createS3Call } from '../src/s3-client.ts';
import { verifyStored } from '../src/verify.ts';
import { createTestBucket, skipReason } from './s3-test-server.ts';

const MiB = 1024 * 1024;
const hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const isCode = (code: SluiceError['code']) => (e: unknown) => e instanceof SluiceError && e.code === code;

describe('S3 blob store against a real S3-compatible server', { skip: skipReason }, () => {
  let bucket: Awaited<ReturnType<typeof createTestBucket>>;
  let store: BlobStore;
  let scratch: string;
  before(async () => {
    bucket = await createTestBucket();
    store = createS3BlobStore({ ...bucket.options, partSizeBytes: 5 * MiB });
    scratch = await mkdtemp(join(tmpdir(), 'sluice-s3-'));
  });
  after(async () => {
    await store.close();
    await bucket.remove();
    await rm(scratch, { recursive: true, force: true });
  });

  test('the server computes the same composite checksum from the parts it stored as the adapter did locally', async () => {
    const content = randomBytes(12 * MiB + 5);
    const path = join(scratch, 'shard.parquet');
    await writeFile(path, content);
    const written = await store.putFile('snapshots/s1/data/train-00000-of-00001.parquet', path, { contentType: 'application/vnd.apache.parquet' });
    const head = await bucket.client.send(
      new HeadObjectCommand({ Bucket: bucket.options.bucket, Key: 'snapshots/s1/data/train-00000-of-00001.parquet', ChecksumMode: 'ENABLED' }),
    );
    const localParts = [0, 5, 10].map((mib) => sha256(content.subarray(mib * MiB, (mib + 5) * MiB)));
    assert.equal(head.ChecksumSHA256?.split('-')[0], s3Checksum(localParts, false).split('-')[0]);
    assert.equal(head.ContentLength, content.length);
    assert.equal(head.Metadata?.sha256, written.sha256);
    const info = await store.head('snapshots/s1/data/train-00000-of-00001.parquet');
    assert.deepEqual([info?.sha256, info?.contentType], [hex(content), 'application/vnd.apache.parquet']);
  });

  test('verification rejects an object that differs from what was written, by checksum, size or read-back hash', async () => {
    // The bucket really holds these bytes; the expectations describe other bytes.
    const objectKey = 'verify/object.bin';
    const stored = Buffer.from('the bytes the store really holds');
    const put = await bucket.client.send(
      new PutObjectCommand({ Bucket: bucket.options.bucket, Key: objectKey, Body: stored, ChecksumAlgorithm: 'SHA256', ChecksumSHA256: sha256(stored).toString('base64') }),
    );
    const s3 = createS3Call(bucket.client);
    const target = { bucket: bucket.options.bucket, objectKey, etag: put.ETag };
    const truth = { size: stored.length, sha256: hex(stored), checksum: s3Checksum([sha256(stored)], true) };
    await verifyStored(s3, target, truth);
    await verifyStored(s3, target, { size: truth.size, sha256: truth.sha256 });
    const other = Buffer.from('the bytes the writer believes it sent');
    const integrity = isCode('SLUICE_ERR_BLOB_INTEGRITY');
    await assert.rejects(verifyStored(s3, target, { ...truth, checksum: s3Checksum([sha256(other)], true) }), integrity);
    await assert.rejects(verifyStored(s3, target, { ...truth, size: truth.size + 1 }), integrity);
    // No checksum to compare: the object is read back and hashed.
    await assert.rejects(verifyStored(s3, target, { size: truth.size, sha256: hex(other) }), integrity);
    // Replaced by another writer since: ours is no longer visible, so there is nothing to verify.
    await verifyStored(s3, { ...target, etag: '"0123456789abcdef0123456789abcdef"' }, { size: 1, sha256: 'x' });
  });

  test('head reports the SHA-256 and content type of a whole-body put', async () => {
    const written = await store.put('manifests/m.json', '{"shards":[]}', { contentType: 'application/json' });
    const info = await store.head('manifests/m.json');
    assert.deepEqual([info?.sha256, info?.contentType, info?.size], [written.sha256, 'application/json', 13]);
  });

  test('a missing bucket is a configuration error, not a missing object', async () => {
    const wrong = createS3BlobStore({ ...bucket.options, bucket: `${bucket.options.bucket}-missing` });
    try {
      await assert.rejects(wrong.get('a'), isCode('SLUICE_ERR_CONFIG_INVALID'));
      await assert.rejects(wrong.put('a', 'x'), isCode('SLUICE_ERR_CONFIG_INVALID'));
    } finally {
      await wrong.close();
    }
  });
});

test('an unreachable endpoint is SLUICE_ERR_BLOB_STORE_UNAVAILABLE, which is retryable', async () => {
  // Port 1 on loopback refuses connections at once; no server is involved.
  const options = { bucket: 'b', endpoint: 'http://127.0.0.1:1', forcePathStyle: true, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } };
  const store = createS3BlobStore(options);
  try {
    for (const attempt of [() => store.get('a'), () => store.head('a'), () => store.put('a', 'x')]) {
      await assert.rejects(attempt(), (e) => isCode('SLUICE_ERR_BLOB_STORE_UNAVAILABLE')(e) && (e as SluiceError).retryable);
    }
  } finally {
    await store.close();
  }
});
