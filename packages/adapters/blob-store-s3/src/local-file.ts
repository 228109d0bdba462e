import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { SluiceError } from '@sluice/core';

/** The file to upload; a missing or unreadable one is the caller's mistake, not the store's. */
export async function statFile(path: string): Promise<Stats> {
  try {
    const stats = await stat(path);
    if (!stats.isFile()) throw new Error('not a regular file');
    return stats;
  } catch (error) {
    throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `cannot upload ${path}: ${String(error)}`, { cause: error });
  }
}

export async function hashFile(path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch (error) {
    throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `cannot read ${path}: ${String(error)}`, { cause: error });
  }
  return { size, sha256: hash.digest('hex') };
}
