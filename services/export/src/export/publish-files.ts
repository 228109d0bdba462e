import { SluiceError, type BlobStore } from '@sluice/core';
import type { LocalFile } from './write-local-files.ts';

/**
 * Uploads the snapshot's files (never the manifest: that is the caller's last write). Each
 * upload is verified by the store (size and SHA-256 read back) and against the hash computed
 * locally, so the manifest can only list bytes that are really in the store. Returns the keys
 * written, so a failed export can remove them.
 */
export async function uploadFiles(
  blobStore: BlobStore, keyOf: (path: string) => string, files: readonly LocalFile[],
  written: string[], onUploaded?: (file: LocalFile) => void,
): Promise<void> {
  for (const file of files) {
    const key = keyOf(file.path);
    written.push(key);
    const stored = await blobStore.putFile(key, file.localPath, { contentType: contentTypeOf(file.path) });
    if (stored.sha256 !== file.sha256 || stored.size !== file.bytes) {
      throw new SluiceError('SLUICE_ERR_BLOB_INTEGRITY',
        `${key}: the store holds ${stored.size} bytes with sha256 ${stored.sha256}, the export wrote ${file.bytes} bytes with sha256 ${file.sha256}`);
    }
    onUploaded?.(file);
  }
}

/**
 * Uploads files one after another as they are handed over, while the export goes on writing the
 * next ones. The first failure stops the queue; `drain` waits for the queue and rethrows it.
 */
export class UploadQueue {
  #tail: Promise<void> = Promise.resolve();
  #failure: { error: unknown } | null = null;
  readonly #upload: (file: LocalFile) => Promise<void>;

  constructor(blobStore: BlobStore, keyOf: (path: string) => string, written: string[], onUploaded?: (file: LocalFile) => void) {
    this.#upload = (file) => uploadFiles(blobStore, keyOf, [file], written, onUploaded);
  }

  add(file: LocalFile): void {
    this.#tail = this.#tail
      .then(() => (this.#failure ? undefined : this.#upload(file)))
      .catch((error: unknown) => { this.#failure ??= { error }; });
  }

  async drain(): Promise<void> {
    await this.#tail;
    if (this.#failure) throw this.#failure.error;
  }
}

export function contentTypeOf(path: string): string {
  if (path.endsWith('.parquet')) return 'application/vnd.apache.parquet';
  if (path.endsWith('.jsonl')) return 'application/jsonl';
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.md')) return 'text/markdown; charset=utf-8';
  return 'application/octet-stream';
}

/** Best-effort removal of a failed export's objects; a leftover is harmless (no manifest). */
export async function removeQuietly(blobStore: BlobStore, keys: readonly string[]): Promise<void> {
  for (const key of keys) await blobStore.delete(key).catch(() => undefined);
}
