import { SluiceError, assertValidBlobKey } from '@sluice/core';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SnapshotFile } from '../snapshot/manifest.ts';
import type { SnapshotClient } from './snapshot-client.ts';

export interface DownloadOutcome {
  /** Bytes received over the network for this file (0 when the local copy was already good). */
  downloaded: number;
  resumed: boolean;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}

/** The local path of a manifest entry; the same key rules as the blob store, so nothing escapes `to`. */
export function localPathOf(to: string, path: string): string {
  assertValidBlobKey(path);
  return join(to, ...path.split('/'));
}

/**
 * Downloads one snapshot file to `<to>/<path>` through `<path>.part`: a good local copy is kept,
 * a partial `.part` is resumed with a Range request, and the result must have the manifest's
 * size and SHA-256 before it is renamed into place. A mismatch after a resume is retried once
 * from zero (the partial bytes may have been bad); a mismatch on a full download is refused.
 */
export async function downloadFile(
  client: SnapshotClient, snapshotId: string, file: SnapshotFile, to: string, onBytes: (n: number) => void,
): Promise<DownloadOutcome> {
  const finalPath = localPathOf(to, file.path);
  const partPath = `${finalPath}.part`;
  await mkdir(dirname(finalPath), { recursive: true });
  if ((await sizeOf(finalPath)) === file.bytes && (await sha256Of(finalPath)) === file.sha256) return { downloaded: 0, resumed: false };
  await rm(finalPath, { force: true });

  let downloaded = 0;
  let resumed = false;
  for (let attempt = 0; attempt < 2; attempt++) {
    let offset = (await sizeOf(partPath)) ?? 0;
    if (offset > file.bytes) {
      await rm(partPath);
      offset = 0;
    }
    if (offset > 0 && offset < file.bytes) resumed = true;
    if (offset < file.bytes) downloaded += await fetchInto(client, snapshotId, file, partPath, offset, onBytes);
    const size = await sizeOf(partPath);
    const hash = await sha256Of(partPath);
    if (size === file.bytes && hash === file.sha256) {
      await rename(partPath, finalPath);
      return { downloaded, resumed };
    }
    await rm(partPath, { force: true });
    if (offset === 0) {
      throw new SluiceError('SLUICE_ERR_DOWNLOAD_INTEGRITY',
        `${file.path}: got ${size} bytes with sha256 ${hash}, the manifest says ${file.bytes} bytes with sha256 ${file.sha256}; the file was discarded`);
    }
  }
  throw new SluiceError('SLUICE_ERR_DOWNLOAD_INTEGRITY', `${file.path}: does not match the manifest after a full download`);
}

/** Appends the bytes from `offset` on to the part file; returns the bytes received. */
async function fetchInto(
  client: SnapshotClient, snapshotId: string, file: SnapshotFile, partPath: string, offset: number, onBytes: (n: number) => void,
): Promise<number> {
  const url = `/v1/snapshots/${encodeURIComponent(snapshotId)}/files/${file.path.split('/').map(encodeURIComponent).join('/')}`;
  const response = await client.request(url, offset > 0 ? { range: `bytes=${offset}-` } : {}, [200, 206]);
  // A 200 to a Range request means the server sent the whole file: start over.
  const handle = await open(partPath, response.status === 206 ? 'a' : 'w');
  let received = 0;
  try {
    if (!response.body) return 0;
    for await (const chunk of response.body) {
      await handle.write(chunk);
      received += chunk.byteLength;
      onBytes(chunk.byteLength);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return received;
}
