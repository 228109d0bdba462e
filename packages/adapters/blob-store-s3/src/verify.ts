import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { SluiceError } from '@sluice/core';
import { integrityProblems, type ExpectedObject, type StoredObject } from './checksums.ts';
import type { S3Call } from './s3-client.ts';
import { httpStatusOf } from './s3-errors.ts';

export interface VerifyTarget {
  bucket: string;
  objectKey: string;
  /** ETag the write returned: verification reads exactly that object, not a later overwrite. */
  etag: string | undefined;
}

/**
 * Checks what the store holds against what was written: size from HEAD, plus the SHA-256
 * checksum S3 computed from the bytes it received. A store that reports no checksum (checksums
 * off, or not supported) is verified by streaming the object back and hashing it. Throws
 * SLUICE_ERR_BLOB_INTEGRITY on any difference. If another writer replaced the object meanwhile
 * (ETag no longer matches), ours is no longer visible to anyone and there is nothing to verify.
 */
export async function verifyStored(s3: S3Call, target: VerifyTarget, expected: ExpectedObject): Promise<void> {
  const { bucket, objectKey, etag } = target;
  const ifMatch = etag === undefined ? {} : { IfMatch: etag };
  try {
    const head = await s3(`verify ${objectKey}`, (c) => c.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey, ChecksumMode: 'ENABLED', ...ifMatch })));
    const stored: StoredObject = { size: head.ContentLength };
    if (head.ChecksumSHA256 !== undefined) stored.checksum = head.ChecksumSHA256;
    if (head.Metadata?.sha256 !== undefined) stored.metadataSha256 = head.Metadata.sha256;
    if (expected.checksum === undefined || stored.checksum === undefined) {
      const object = await s3(`read back ${objectKey}`, (c) => c.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey, ...ifMatch })));
      const hash = createHash('sha256');
      for await (const chunk of object.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
      stored.readBackSha256 = hash.digest('hex');
    }
    const problems = integrityProblems(expected, stored);
    if (problems.length > 0) {
      throw new SluiceError('SLUICE_ERR_BLOB_INTEGRITY', `S3 blob store: ${objectKey}: ${problems.join('; ')}`, {
        details: { key: objectKey, problems },
      });
    }
  } catch (error) {
    if (error instanceof SluiceError && httpStatusOf(error.cause) === 412) return;
    throw error;
  }
}
