import { SluiceError, assertValidBlobPrefix } from '@sluice/core';

const MiB = 1024 * 1024;
/** S3's multipart limits: parts of 5 MiB to 5 GiB (the last may be smaller), at most 10,000 parts. */
export const MIN_PART_SIZE = 5 * MiB;
export const MAX_PART_SIZE = 5 * 1024 * MiB;
export const MAX_PARTS = 10_000;

export interface S3BlobStoreOptions {
  bucket: string;
  /** Key prefix inside the bucket ('sluice/prod'); a trailing '/' is added. */
  prefix?: string;
  /** For S3-compatible stores: MinIO, R2 (https://<account>.r2.cloudflarestorage.com), GCS (https://storage.googleapis.com). */
  endpoint?: string;
  /** Default 'us-east-1'; R2 wants 'auto'. */
  region?: string;
  /** Path-style URLs (endpoint/bucket/key); MinIO and most local servers need it. */
  forcePathStyle?: boolean;
  /** Omit to use the AWS default chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Multipart part size; default 8 MiB, at least 5 MiB. Raised for files that would need more than 10,000 parts. */
  partSizeBytes?: number;
  /** Parts uploaded at once; default 4. Memory use is about (concurrency + 1) × part size. */
  uploadConcurrency?: number;
  /**
   * Send a SHA-256 checksum with every upload so the store rejects a corrupted part on receipt and
   * reports the checksum back for verification (default true). Turn off for S3-compatible stores
   * that reject x-amz-checksum-* headers; writes are then verified by reading the object back.
   */
  checksums?: boolean;
}

export interface ResolvedS3Options {
  bucket: string;
  keyPrefix: string;
  partSize: number;
  concurrency: number;
  checksums: boolean;
}

function invalid(message: string): SluiceError {
  return new SluiceError('SLUICE_ERR_CONFIG_INVALID', `S3 blob store: ${message}`);
}

export function resolveS3Options(options: S3BlobStoreOptions): ResolvedS3Options {
  if (!options.bucket) throw invalid('bucket is required');
  const partSize = options.partSizeBytes ?? 8 * MiB;
  if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
    throw invalid(`partSizeBytes must be an integer from ${MIN_PART_SIZE} (5 MiB) to ${MAX_PART_SIZE} (5 GiB), got ${partSize}`);
  }
  const concurrency = options.uploadConcurrency ?? 4;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw invalid(`uploadConcurrency must be a positive integer, got ${concurrency}`);
  const prefix = options.prefix ?? '';
  assertValidBlobPrefix(prefix);
  return {
    bucket: options.bucket,
    keyPrefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    partSize,
    concurrency,
    checksums: options.checksums ?? true,
  };
}

/** The part size for an upload of known size: the configured one, raised in whole MiB to fit 10,000 parts. */
export function partSizeFor(totalBytes: number, configured: number): number {
  const needed = Math.ceil(totalBytes / MAX_PARTS / MiB) * MiB;
  return Math.max(configured, needed);
}
