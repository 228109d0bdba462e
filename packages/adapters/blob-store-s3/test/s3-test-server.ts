import { randomUUID } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3BlobStoreOptions } from '../src/index.ts';

/**
 * The real S3-compatible server the integration tests use (`bash .ci/services/s3.sh start`
 * prints these variables). Undefined when S3_ENDPOINT is not set: the tests then skip.
 */
export const s3Server = process.env.S3_ENDPOINT
  ? {
      endpoint: process.env.S3_ENDPOINT,
      region: process.env.S3_REGION ?? 'us-east-1',
      credentials: { accessKeyId: process.env.S3_ACCESS_KEY_ID ?? 'test', secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? 'test' },
    }
  : undefined;

export const skipReason = s3Server ? false : 'S3_ENDPOINT not set (run: bash .ci/services/s3.sh start)';

/** A fresh bucket for one test file, with the direct client the tests use to look behind the port. */
export async function createTestBucket(): Promise<{ client: S3Client; options: S3BlobStoreOptions; pendingUploads(): Promise<number>; remove(): Promise<void> }> {
  if (!s3Server) throw new Error('S3_ENDPOINT not set');
  const bucket = `sluice-test-${randomUUID()}`;
  const client = new S3Client({ ...s3Server, forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    client,
    options: { ...s3Server, bucket, forcePathStyle: true },
    async pendingUploads() {
      const response = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      return response.Uploads?.length ?? 0;
    },
    async remove() {
      const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      for (const u of uploads.Uploads ?? []) await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }));
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }));
        for (const o of page.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));
        token = page.NextContinuationToken;
      } while (token);
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      client.destroy();
    },
  };
}
