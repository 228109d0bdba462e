import { SluiceError } from '@sluice/core';

export function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** The path names no object: missing, or a path through / onto a folder. */
export function isNoObject(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

/**
 * Disk failures (full, read-only, I/O error, permissions) leave as SLUICE_ERR_BLOB_STORE_UNAVAILABLE
 * with the cause; an operator fixes the disk and the same request then succeeds.
 */
export function unavailable(error: unknown, action: string): SluiceError {
  if (error instanceof SluiceError) return error;
  return new SluiceError('SLUICE_ERR_BLOB_STORE_UNAVAILABLE', `local blob store: cannot ${action}: ${String(error)}`, { cause: error });
}

/**
 * On a file system a key cannot be both an object and a folder ('a' and 'a/b'); S3 allows it.
 * Writing such a key is reported as invalid input rather than as an unavailable store.
 */
export function keyConflict(error: unknown, key: string): SluiceError | undefined {
  const code = errnoCode(error);
  if (code !== 'ENOTDIR' && code !== 'EISDIR' && code !== 'EEXIST' && code !== 'ENOTEMPTY') return undefined;
  return new SluiceError(
    'SLUICE_ERR_INPUT_INVALID',
    `local blob store: key ${JSON.stringify(key)} collides with an existing object or folder (a local key cannot be both)`,
    { cause: error },
  );
}
