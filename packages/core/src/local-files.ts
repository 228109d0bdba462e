import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { SluiceError } from './errors.ts';

/**
 * A local file a caller hands over to be stored (BlobStore.putFile): a missing or unreadable one
 * is the caller's mistake (SLUICE_ERR_INPUT_INVALID), not the store's.
 */
export async function statFile(path: string): Promise<Stats> {
  try {
    const stats = await stat(path);
    if (!stats.isFile()) throw new Error('not a regular file');
    return stats;
  } catch (error) {
    throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `cannot upload ${path}: ${String(error)}`, { cause: error });
  }
}

/** Size and SHA-256 (hex) of a local file, read once. Read errors reach the caller as they are. */
export async function hashFile(path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}
