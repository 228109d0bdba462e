import { SluiceError } from '@sluice/core';

interface SdkErrorShape {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound']);
/** Wrong bucket, credentials or region: retrying does not help, the configuration must change. */
const MISCONFIGURED = new Set([
  'NoSuchBucket',
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AuthorizationHeaderMalformed',
  'PermanentRedirect',
  'AllAccessDisabled',
  'InvalidBucketName',
]);
/** The store received bytes that do not match the checksum sent with them. */
const CORRUPTED = new Set(['BadDigest', 'InvalidDigest', 'XAmzContentSHA256Mismatch', 'InvalidChecksum']);
const TRANSIENT = new Set(['SlowDown', 'RequestTimeout', 'ServiceUnavailable', 'InternalError', 'TimeoutError', 'RequestTimeTooSkewed']);

export function httpStatusOf(error: unknown): number | undefined {
  return (error as SdkErrorShape | null)?.$metadata?.httpStatusCode;
}

/**
 * Maps an AWS SDK or network failure to the error catalogue, keeping the SDK error as `cause`.
 * NoSuchKey/404 → BLOB_NOT_FOUND; network errors, 5xx, throttling → BLOB_STORE_UNAVAILABLE (retry
 * helps); auth/bucket problems → CONFIG_INVALID; checksum rejections → BLOB_INTEGRITY.
 */
export function toSluiceError(error: unknown, action: string): SluiceError {
  if (error instanceof SluiceError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = shape.name ?? '';
  const status = shape.$metadata?.httpStatusCode;
  const message = `S3 blob store: ${action}: ${name || 'error'}${status ? ` (HTTP ${status})` : ''}: ${error instanceof Error ? error.message : String(error)}`;
  const wrap = (code: SluiceError['code']) => new SluiceError(code, message, { cause: error });
  if (MISCONFIGURED.has(name) || status === 301 || status === 403) return wrap('SLUICE_ERR_CONFIG_INVALID');
  if (NOT_FOUND.has(name) || status === 404) return wrap('SLUICE_ERR_BLOB_NOT_FOUND');
  if (CORRUPTED.has(name)) return wrap('SLUICE_ERR_BLOB_INTEGRITY');
  // No HTTP status at all: the request never got an answer (refused, reset, DNS, timeout).
  if (status === undefined || status >= 500 || status === 429 || TRANSIENT.has(name)) return wrap('SLUICE_ERR_BLOB_STORE_UNAVAILABLE');
  return wrap('SLUICE_ERR_INTERNAL');
}
