import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3BlobStoreOptions } from './options.ts';
import { toSluiceError } from './s3-errors.ts';

export function createS3Client(options: S3BlobStoreOptions): S3Client {
  const config: S3ClientConfig = {
    region: options.region ?? 'us-east-1',
    forcePathStyle: options.forcePathStyle ?? false,
    // The SDK would otherwise add a CRC32 checksum to every request (default since 3.729), which
    // GCS and older MinIO reject; Sluice sends its own SHA-256 where it wants one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  if (options.endpoint !== undefined) config.endpoint = options.endpoint;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  return new S3Client(config);
}

/**
 * The one execution point for S3: every request runs through `s3(action, request)`, so every
 * failure leaves as a SluiceError naming the action, with the SDK error as cause. Retries are
 * the SDK's own (3 attempts with jittered backoff on throttling, 5xx and network errors).
 */
export type S3Call = <T>(action: string, request: (client: S3Client) => Promise<T>) => Promise<T>;

export function createS3Call(client: S3Client): S3Call {
  return async (action, request) => {
    try {
      return await request(client);
    } catch (error) {
      throw toSluiceError(error, action);
    }
  };
}
