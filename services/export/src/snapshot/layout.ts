import { SluiceError } from '@sluice/core';

/**
 * Where a snapshot lives in the blob store:
 *
 *   <prefix>/<name>/<id>/README.md, manifest.json, lineage.parquet, data/<config>/<split>-…
 *   <prefix>/<name>/tags/<tag>.json        → { snapshot_id }   (latest, user tags)
 *   <prefix>/_index/<name>/<id>.json       → status summary     (building | ready | failed)
 *
 * The index is what makes listing cheap: the blob store lists by plain prefix (no delimiter),
 * so listing `<prefix>/<name>/` would walk every shard of every snapshot. Dataset names cannot
 * start with '_', so `_index` never collides with one.
 */
export const DATASET_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Tags share the name rules; a tag may not look like a snapshot id, so a ref is never ambiguous. */
export const SNAPSHOT_ID = /^snap-[0-9a-f]{24}$/;
/** What `datasets` accepts as a split name; it is also part of shard file names. */
export const SPLIT_NAME = /^\w+$/;

export function assertDatasetName(name: string): void {
  if (!DATASET_NAME.test(name)) {
    throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `dataset name ${JSON.stringify(name)} must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
}

export function assertTagName(tag: string): void {
  if (!DATASET_NAME.test(tag) || tag.startsWith('snap-')) {
    throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `tag ${JSON.stringify(tag)} must be 1-64 lower-case letters, digits, '.', '_' or '-', and not start with 'snap-'`);
  }
}

export class SnapshotLayout {
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix.replace(/\/+$/, '');
  }

  #key(...parts: string[]): string {
    return [this.prefix, ...parts].filter((p) => p !== '').join('/');
  }

  snapshotDir(name: string, id: string): string {
    return this.#key(name, id);
  }

  fileKey(name: string, id: string, path: string): string {
    return this.#key(name, id, path);
  }

  manifestKey(name: string, id: string): string {
    return this.#key(name, id, 'manifest.json');
  }

  tagsPrefix(name: string): string {
    return this.#key(name, 'tags') + '/';
  }

  tagKey(name: string, tag: string): string {
    return this.#key(name, 'tags', `${tag}.json`);
  }

  indexPrefix(name?: string): string {
    return this.#key('_index', ...(name === undefined ? [] : [name])) + '/';
  }

  indexKey(name: string, id: string): string {
    return this.#key('_index', name, `${id}.json`);
  }

  /** The (name, id) of an index key, or null for anything else under the index prefix. */
  parseIndexKey(key: string): { name: string; id: string } | null {
    const rest = key.slice(this.indexPrefix().length).split('/');
    if (rest.length !== 2 || !rest[1]!.endsWith('.json')) return null;
    const [name, file] = rest as [string, string];
    return { name, id: file.slice(0, -'.json'.length) };
  }
}
