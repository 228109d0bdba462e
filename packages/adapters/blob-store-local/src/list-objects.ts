import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BLOB_RESERVED_SEGMENT, compareBlobKeys, type BlobObjectInfo } from '@sluice/core';
import { isNoObject, unavailable } from './fs-errors.ts';

/**
 * Walks the folders that can hold keys starting with `prefix`, yielding files in S3's order.
 * Sorting each folder's entries by name — with '/' appended to folder names — and walking depth
 * first yields keys in global byte order, because every key inside folder 'a' starts with 'a/'.
 * So listing streams; it never holds more than one folder's entries.
 */
export async function* listObjects(root: string, prefix: string): AsyncIterable<BlobObjectInfo> {
  const startFolder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  if (isReserved(startFolder)) return;
  yield* walk(root, startFolder, prefix);
}

async function* walk(root: string, folder: string, prefix: string): AsyncIterable<BlobObjectInfo> {
  let entries;
  try {
    entries = await readdir(join(root, folder), { withFileTypes: true });
  } catch (error) {
    if (isNoObject(error)) return;
    throw unavailable(error, `list ${JSON.stringify(folder)}`);
  }
  const named = entries
    .filter((entry) => entry.isFile() || entry.isDirectory())
    // Temp files of in-flight writes are never objects.
    .filter((entry) => !isReserved(folder + entry.name))
    .map((entry) => ({ entry, sortName: entry.isDirectory() ? `${entry.name}/` : entry.name }))
    .sort((a, b) => compareBlobKeys(a.sortName, b.sortName));
  for (const { entry, sortName } of named) {
    const key = folder + sortName;
    if (entry.isDirectory()) {
      if (key.startsWith(prefix) || prefix.startsWith(key)) yield* walk(root, key, prefix);
      continue;
    }
    if (!key.startsWith(prefix)) continue;
    try {
      const stats = await stat(join(root, key));
      yield { key, size: stats.size, lastModified: Math.round(stats.mtimeMs) };
    } catch (error) {
      // Deleted between readdir and stat: it is gone, so it is not listed.
      if (isNoObject(error)) continue;
      throw unavailable(error, `stat ${JSON.stringify(key)}`);
    }
  }
}

function isReserved(path: string): boolean {
  return path === BLOB_RESERVED_SEGMENT || path.startsWith(`${BLOB_RESERVED_SEGMENT}/`);
}
