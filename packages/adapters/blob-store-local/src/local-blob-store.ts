import { createReadStream } from 'node:fs';
import { open, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  BLOB_RESERVED_SEGMENT,
  SluiceError,
  assertValidBlobKey,
  assertValidBlobPrefix,
  assertValidBlobRange,
  assertValidPresignExpiry,
  blobBodyChunks,
  hashFile,
  statFile,
  type BlobObjectInfo,
  type BlobRange,
  type BlobRead,
  type BlobStore,
  type BlobWritten,
} from '@sluice/core';
import { writeAtomically } from './atomic-write.ts';
import { errnoCode, isNoObject, unavailable } from './fs-errors.ts';
import { listObjects } from './list-objects.ts';

export interface LocalBlobStoreOptions {
  /** Folder that holds the objects; created on first write. */
  root: string;
}

/**
 * A BlobStore on a local folder: key 'a/b.parquet' is the file `<root>/a/b.parquet`, so a
 * snapshot can be read by any tool in place. Writes go through `<root>/.tmp/` and an atomic
 * rename. It keeps no metadata beside the file: `head` reports no sha256 or content type.
 */
export function createLocalBlobStore(options: LocalBlobStoreOptions): BlobStore {
  const root = resolve(options.root);
  const tmpDir = join(root, BLOB_RESERVED_SEGMENT);
  const pathOf = (key: string): string => join(root, ...key.split('/'));

  return {
    kind: 'local',

    async put(key, body): Promise<BlobWritten> {
      assertValidBlobKey(key);
      return writeAtomically({ key, path: pathOf(key), tmpDir }, blobBodyChunks(body));
    },

    async putFile(key, path): Promise<BlobWritten> {
      assertValidBlobKey(key);
      const before = await statFile(path);
      return writeAtomically({ key, path: pathOf(key), tmpDir }, createReadStream(path), async (tmpPath, written) => {
        // Read the synced copy back: the bytes that will be published must be the bytes read.
        const { sha256: reread } = await hashFile(tmpPath);
        const after = await statFile(path);
        const problems = [
          written.size !== before.size && `copied ${written.size} bytes of a ${before.size}-byte file`,
          (after.size !== before.size || after.mtimeMs !== before.mtimeMs) && 'the file changed while it was being copied',
          reread !== written.sha256 && `sha256 read back ${reread} differs from ${written.sha256} written`,
        ].filter((p) => p !== false);
        if (problems.length > 0) {
          throw new SluiceError('SLUICE_ERR_BLOB_INTEGRITY', `local blob store: ${key}: ${problems.join('; ')}`);
        }
      });
    },

    async get(key, range?: BlobRange): Promise<BlobRead> {
      assertValidBlobKey(key);
      if (range) assertValidBlobRange(range);
      // The open handle pins this version of the file: an overwrite renames a new inode in.
      let file;
      try {
        file = await open(pathOf(key), 'r');
      } catch (error) {
        throw isNoObject(error) ? notFound(key) : unavailable(error, `open ${JSON.stringify(key)}`);
      }
      try {
        const stats = await file.stat();
        if (!stats.isFile()) throw notFound(key);
        const start = Math.min(range?.start ?? 0, stats.size);
        const end = Math.min(range?.end ?? stats.size, stats.size);
        if (end === start) {
          await file.close();
          return { body: emptyBody(), size: stats.size, contentLength: 0 };
        }
        // createReadStream's `end` is inclusive; it closes the handle when done or destroyed.
        const body = file.createReadStream({ start, end: end - 1 });
        return { body, size: stats.size, contentLength: end - start };
      } catch (error) {
        await file.close();
        throw error instanceof SluiceError ? error : unavailable(error, `read ${JSON.stringify(key)}`);
      }
    },

    async head(key): Promise<BlobObjectInfo | null> {
      assertValidBlobKey(key);
      try {
        const stats = await stat(pathOf(key));
        return stats.isFile() ? { key, size: stats.size, lastModified: Math.round(stats.mtimeMs) } : null;
      } catch (error) {
        if (isNoObject(error)) return null;
        throw unavailable(error, `stat ${JSON.stringify(key)}`);
      }
    },

    list(prefix): AsyncIterable<BlobObjectInfo> {
      return {
        [Symbol.asyncIterator]() {
          // Validated on first next(), so a bad prefix rejects where the caller awaits.
          assertValidBlobPrefix(prefix);
          return listObjects(root, prefix)[Symbol.asyncIterator]();
        },
      };
    },

    async delete(key): Promise<void> {
      assertValidBlobKey(key);
      try {
        await unlink(pathOf(key));
      } catch (error) {
        // Missing, or a folder (EISDIR on Linux, EPERM on macOS): there is no object to delete.
        if (isNoObject(error) || errnoCode(error) === 'EPERM') return;
        throw unavailable(error, `delete ${JSON.stringify(key)}`);
      }
    },

    async presignGet(key, expiresInSeconds): Promise<string | null> {
      assertValidBlobKey(key);
      assertValidPresignExpiry(expiresInSeconds);
      return null;
    },

    async close(): Promise<void> {},
  };
}

function notFound(key: string): SluiceError {
  return new SluiceError('SLUICE_ERR_BLOB_NOT_FOUND', `local blob store: no object ${JSON.stringify(key)}`);
}

async function* emptyBody(): AsyncIterable<Uint8Array> {}

