import { SluiceError, isSluiceError, type BlobStore } from '@sluice/core';
import { SnapshotLayout, SNAPSHOT_ID } from './layout.ts';
import type { SnapshotIndexEntry, SnapshotManifest, TagEntry } from './manifest.ts';

export interface DatasetSummary {
  name: string;
  snapshots: number;
  latest: string | null;
}

export interface SnapshotSummary extends SnapshotIndexEntry {
  tags: string[];
}

async function readJson<T>(blobStore: BlobStore, key: string): Promise<T | null> {
  let read;
  try {
    read = await blobStore.get(key);
  } catch (error) {
    if (isSluiceError(error) && error.code === 'SLUICE_ERR_BLOB_NOT_FOUND') return null;
    throw error;
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of read.body) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
}

export async function writeJson(blobStore: BlobStore, key: string, value: unknown): Promise<void> {
  await blobStore.put(key, JSON.stringify(value, null, 2) + '\n', { contentType: 'application/json' });
}

/**
 * The read side of the snapshot layout, shared by the HTTP API and the export itself: datasets,
 * their snapshots and tags, and resolving a ref ('latest', a tag or an id) to a ready manifest.
 */
export class SnapshotCatalog {
  readonly blobStore: BlobStore;
  readonly layout: SnapshotLayout;

  constructor(blobStore: BlobStore, prefix: string) {
    this.blobStore = blobStore;
    this.layout = new SnapshotLayout(prefix);
  }

  async #indexKeys(name?: string): Promise<{ name: string; id: string }[]> {
    const found = [];
    for await (const object of this.blobStore.list(this.layout.indexPrefix(name))) {
      const parsed = this.layout.parseIndexKey(object.key);
      if (parsed) found.push(parsed);
    }
    return found;
  }

  async listDatasets(): Promise<DatasetSummary[]> {
    const counts = new Map<string, number>();
    for (const { name } of await this.#indexKeys()) counts.set(name, (counts.get(name) ?? 0) + 1);
    const names = [...counts.keys()].sort();
    return Promise.all(names.map(async (name) => ({
      name, snapshots: counts.get(name)!, latest: (await this.readTag(name, 'latest'))?.snapshot_id ?? null,
    })));
  }

  async datasetExists(name: string): Promise<boolean> {
    for await (const object of this.blobStore.list(this.layout.indexPrefix(name))) {
      if (this.layout.parseIndexKey(object.key)) return true;
    }
    return false;
  }

  /** Newest first, each with the tags that point at it. */
  async listSnapshots(name: string): Promise<SnapshotSummary[]> {
    const tags = await this.listTags(name);
    const entries = await Promise.all((await this.#indexKeys(name)).map(({ id }) => this.readIndex(name, id)));
    return entries
      .filter((e): e is SnapshotIndexEntry => e !== null)
      .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? 1 : -1))
      .map((e) => ({ ...e, tags: tags.filter((t) => t.snapshot_id === e.id).map((t) => t.tag).sort() }));
  }

  async listTags(name: string): Promise<TagEntry[]> {
    const keys = [];
    for await (const object of this.blobStore.list(this.layout.tagsPrefix(name))) {
      if (object.key.endsWith('.json')) keys.push(object.key);
    }
    const tags = await Promise.all(keys.map((key) => readJson<TagEntry>(this.blobStore, key)));
    return tags.filter((t): t is TagEntry => t !== null);
  }

  readTag(name: string, tag: string): Promise<TagEntry | null> {
    return readJson<TagEntry>(this.blobStore, this.layout.tagKey(name, tag));
  }

  async writeTag(name: string, tag: string, snapshotId: string, now: number): Promise<void> {
    const entry: TagEntry = { tag, snapshot_id: snapshotId, updated_at: new Date(now).toISOString() };
    await writeJson(this.blobStore, this.layout.tagKey(name, tag), entry);
  }

  readIndex(name: string, id: string): Promise<SnapshotIndexEntry | null> {
    return readJson<SnapshotIndexEntry>(this.blobStore, this.layout.indexKey(name, id));
  }

  writeIndex(entry: SnapshotIndexEntry): Promise<void> {
    return writeJson(this.blobStore, this.layout.indexKey(entry.name, entry.id), entry);
  }

  /** The manifest of a ready snapshot, or null (absent, still building, or failed). */
  readManifest(name: string, id: string): Promise<SnapshotManifest | null> {
    return readJson<SnapshotManifest>(this.blobStore, this.layout.manifestKey(name, id));
  }

  /** Which dataset a snapshot id belongs to, from the index. */
  async datasetOf(id: string): Promise<string | null> {
    if (!SNAPSHOT_ID.test(id)) return null;
    for (const entry of await this.#indexKeys()) if (entry.id === id) return entry.name;
    return null;
  }

  /** 'latest', a user tag or a snapshot id → the id of a ready snapshot of `name`. */
  async resolveRef(name: string, ref: string): Promise<string> {
    const id = SNAPSHOT_ID.test(ref) ? ref : (await this.readTag(name, ref))?.snapshot_id;
    if (id === undefined) throw new SluiceError('SLUICE_ERR_SNAPSHOT_NOT_FOUND', `dataset ${name} has no tag ${JSON.stringify(ref)}`);
    if ((await this.readManifest(name, id)) === null) {
      throw new SluiceError('SLUICE_ERR_SNAPSHOT_NOT_FOUND', `snapshot ${id} of dataset ${name} does not exist or is not ready`);
    }
    return id;
  }
}
