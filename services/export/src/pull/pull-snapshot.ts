import { SluiceError } from '@sluice/core';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SNAPSHOT_ID } from '../snapshot/layout.ts';
import type { SnapshotManifest } from '../snapshot/manifest.ts';
import { downloadFile } from './download-file.ts';
import { SnapshotClient, type Fetch } from './snapshot-client.ts';

export interface PullProgress {
  snapshotId: string;
  /** The file being downloaded, or null once all are done. */
  file: string | null;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface PullSnapshotOptions {
  /** Where the Sluice server listens, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  /** A read token scoped to the dataset. */
  token: string;
  name: string;
  /** 'latest' (default), a tag, or a snapshot id. */
  ref?: string;
  /** Directory that receives the snapshot: README.md, manifest.json, lineage.parquet, data/…. */
  to: string;
  onProgress?: (progress: PullProgress) => void;
  fetch?: Fetch;
}

export interface PulledSnapshot {
  id: string;
  dir: string;
  manifest: SnapshotManifest;
  files: number;
  /** Bytes received over the network (less than the total when files were kept or resumed). */
  bytesDownloaded: number;
  filesResumed: number;
  filesKept: number;
  /**
   * Users of the snapshot erased since it was published (drop their rows by lineage.parquet
   * user_key); null when the server keeps no erasure marks.
   */
  erasedUsers: { user_key: string; erased_at: string }[] | null;
}

/**
 * Downloads a ready snapshot: resolves the ref, fetches the manifest, downloads every file it
 * lists (resuming partial ones, verifying each SHA-256), and writes manifest.json last — the
 * same convention as the blob store, so a directory with a manifest is a complete snapshot.
 */
export async function pullSnapshot(options: PullSnapshotOptions): Promise<PulledSnapshot> {
  const client = new SnapshotClient(options.baseUrl, options.token, options.fetch);
  const ref = options.ref ?? 'latest';
  const id = SNAPSHOT_ID.test(ref) ? ref : await resolveTag(client, options.name, ref);
  const manifest = await client.json<SnapshotManifest>(`/v1/snapshots/${encodeURIComponent(id)}`);
  if (manifest.name !== options.name || manifest.id !== id) {
    throw new SluiceError('SLUICE_ERR_SNAPSHOT_NOT_FOUND', `snapshot ${id} belongs to dataset ${manifest.name}, not ${options.name}`);
  }
  await mkdir(options.to, { recursive: true });
  const bytesTotal = manifest.files.reduce((n, f) => n + f.bytes, 0);
  let bytesDone = 0;
  let bytesDownloaded = 0;
  let filesResumed = 0;
  let filesKept = 0;
  const report = (file: string | null, filesDone: number) => options.onProgress?.({
    snapshotId: id, file, filesDone, filesTotal: manifest.files.length, bytesDone, bytesTotal,
  });
  for (const [i, file] of manifest.files.entries()) {
    const before = bytesDone;
    report(file.path, i);
    const outcome = await downloadFile(client, id, file, options.to, (n) => {
      bytesDone += n;
      report(file.path, i);
    });
    bytesDone = before + file.bytes;
    bytesDownloaded += outcome.downloaded;
    if (outcome.resumed) filesResumed++;
    if (outcome.downloaded === 0) filesKept++;
  }
  const manifestPath = join(options.to, 'manifest.json');
  await writeFile(`${manifestPath}.part`, JSON.stringify(manifest, null, 2) + '\n');
  await rename(`${manifestPath}.part`, manifestPath);
  report(null, manifest.files.length);
  const erasedUsers = await erasureMarks(client, id);
  return { id, dir: options.to, manifest, files: manifest.files.length, bytesDownloaded, filesResumed, filesKept, erasedUsers };
}

async function erasureMarks(client: SnapshotClient, id: string): Promise<PulledSnapshot['erasedUsers']> {
  // 501: the server has no warehouse to read marks from; 404: a server from before erasure marks.
  const response = await client.request(`/v1/snapshots/${encodeURIComponent(id)}/erasures`, {}, [200, 404, 501]);
  if (response.status !== 200) {
    await response.body?.cancel();
    return null;
  }
  return ((await response.json()) as { erased_users: { user_key: string; erased_at: string }[] }).erased_users;
}

async function resolveTag(client: SnapshotClient, name: string, tag: string): Promise<string> {
  const listing = await client.json<{ tags: Record<string, string> }>(`/v1/datasets/${encodeURIComponent(name)}/snapshots`);
  const id = listing.tags[tag];
  if (id === undefined) throw new SluiceError('SLUICE_ERR_SNAPSHOT_NOT_FOUND', `dataset ${name} has no tag ${JSON.stringify(tag)}`);
  return id;
}
