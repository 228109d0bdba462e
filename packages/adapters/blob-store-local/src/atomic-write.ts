import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BlobWritten } from '@sluice/core';
import { keyConflict, unavailable } from './fs-errors.ts';

export interface AtomicWriteTarget {
  key: string;
  /** Final path of the object. */
  path: string;
  /** Folder for temp files; on the same file system as `path`, so rename is atomic. */
  tmpDir: string;
}

/** Marks an error thrown by the caller's body so it is rethrown unchanged, not wrapped. */
class BodyFailure {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

/**
 * Writes `chunks` to a temp file, fsyncs it, lets `verify` inspect the temp file, renames it onto
 * the final path and fsyncs the folder. rename(2) replaces the target atomically, so readers see
 * the old file or the new one; fsync before rename ensures a crash never leaves a renamed but
 * empty file, and fsync of the folder makes the rename itself durable. On any failure the temp
 * file is removed and the final path is untouched.
 */
export async function writeAtomically(
  target: AtomicWriteTarget,
  chunks: AsyncIterable<Uint8Array>,
  verify?: (tmpPath: string, written: BlobWritten) => Promise<void>,
): Promise<BlobWritten> {
  await mkdir(target.tmpDir, { recursive: true }).catch((e: unknown) => {
    throw unavailable(e, `create ${target.tmpDir}`);
  });
  const tmpPath = join(target.tmpDir, `${randomUUID()}.part`);
  try {
    const written = await writeAndSync(tmpPath, chunks);
    await verify?.(tmpPath, written);
    await mkdir(dirname(target.path), { recursive: true });
    await rename(tmpPath, target.path);
    await syncFolder(dirname(target.path));
    return written;
  } catch (error) {
    await rm(tmpPath, { force: true }).catch(() => undefined);
    if (error instanceof BodyFailure) throw error.error;
    throw keyConflict(error, target.key) ?? unavailable(error, `write ${JSON.stringify(target.key)}`);
  }
}

async function writeAndSync(tmpPath: string, chunks: AsyncIterable<Uint8Array>): Promise<BlobWritten> {
  const hash = createHash('sha256');
  let size = 0;
  // 'wx': a fresh file; a UUID collision must not silently share one.
  const file = await open(tmpPath, 'wx');
  try {
    const iterator = chunks[Symbol.asyncIterator]();
    for (;;) {
      let step: IteratorResult<Uint8Array>;
      try {
        step = await iterator.next();
      } catch (error) {
        throw new BodyFailure(error);
      }
      if (step.done) break;
      try {
        await file.write(step.value);
      } catch (error) {
        await iterator.return?.();
        throw error;
      }
      hash.update(step.value);
      size += step.value.length;
    }
    await file.sync();
  } finally {
    await file.close();
  }
  return { size, sha256: hash.digest('hex') };
}

async function syncFolder(path: string): Promise<void> {
  const folder = await open(path, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
