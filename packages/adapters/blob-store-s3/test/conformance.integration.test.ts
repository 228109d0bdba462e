import { runBlobStoreConformance } from '@sluice/core/testing';
import { test } from 'node:test';
import { createS3BlobStore } from '../src/index.ts';
import { createTestBucket, skipReason } from './s3-test-server.ts';

const MiB = 1024 * 1024;

if (skipReason) {
  test('S3 BlobStore conformance', { skip: skipReason }, () => {});
} else {
  runBlobStoreConformance('S3 (SHA-256 checksums, key prefix)', async () => {
    const bucket = await createTestBucket();
    return {
      store: createS3BlobStore({ ...bucket.options, prefix: 'sluice/datasets', partSizeBytes: 5 * MiB }),
      pendingWrites: bucket.pendingUploads,
      cleanup: bucket.remove,
    };
  });

  // For stores that reject x-amz-checksum-* headers: every write is then verified by reading it back.
  runBlobStoreConformance('S3 (checksums off, verified by read-back)', async () => {
    const bucket = await createTestBucket();
    return {
      store: createS3BlobStore({ ...bucket.options, partSizeBytes: 5 * MiB, checksums: false, uploadConcurrency: 2 }),
      pendingWrites: bucket.pendingUploads,
      cleanup: bucket.remove,
    };
  });
}
