import { SluiceError, type BlobStore, type CurationStore } from '@sluice/core';
import { SnapshotCatalog } from '@sluice/export';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { adminSecurity } from '../lib/http.ts';
import { loadDatasetSnippet, pullCommand } from '../lib/snapshot-usage.ts';

const SNAPSHOT_ID = /^snap-[0-9a-f]{24}$/;

function serverUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * Every snapshot of every dataset, whatever its status (the trainer API shows ready ones by read
 * token; a steward also needs to see what is building or failed and why).
 */
export async function snapshotRoutes(
  app: FastifyInstance,
  options: { blobStore?: BlobStore; keyPrefix: string; erasures?: Pick<CurationStore, 'snapshotErasures'> },
): Promise<void> {
  const catalog = (): SnapshotCatalog => {
    if (!options.blobStore) throw new SluiceError('SLUICE_ERR_FEATURE_UNAVAILABLE', 'the console was given no blob store (snapshots)');
    return new SnapshotCatalog(options.blobStore, options.keyPrefix);
  };
  const tags = ['admin', 'snapshots'];

  app.get('/v1/admin/datasets', {
    schema: { summary: 'Datasets with all their snapshots (building, ready, failed), newest first', tags, security: adminSecurity },
  }, async () => {
    const c = catalog();
    const datasets = await Promise.all((await c.listDatasets()).map(async (d) => ({ ...d, snapshots: await c.listSnapshots(d.name) })));
    // Snapshots holding a user erased since they were published (docs/decisions/0008).
    const ids = datasets.flatMap((d) => d.snapshots.map((s) => s.id));
    const marked = options.erasures && ids.length > 0 ? new Set((await options.erasures.snapshotErasures(ids)).map((e) => e.snapshotId)) : null;
    return {
      datasets: marked
        ? datasets.map((d) => ({ ...d, snapshots: d.snapshots.map((s) => ({ ...s, contains_erased_users: marked.has(s.id) })) }))
        : datasets,
    };
  });

  app.get<{ Params: { id: string } }>('/v1/admin/snapshots/:id', {
    schema: {
      summary: 'One snapshot: status, counts per config and split, files with sizes and SHA-256, how to pull and load it', tags, security: adminSecurity,
      params: { type: 'object', properties: { id: { type: 'string' } } },
      description: '`manifest` is null until the snapshot is ready; `pull_command` and `load_dataset` are null with it. `erased_users` lists users erased since the snapshot was published (null without a curation store).',
    },
  }, async (request) => {
    const { id } = request.params;
    const c = catalog();
    const name = SNAPSHOT_ID.test(id) ? await c.datasetOf(id) : null;
    const entry = name === null ? null : await c.readIndex(name, id);
    if (name === null || entry === null) throw new SluiceError('SLUICE_ERR_SNAPSHOT_NOT_FOUND', `no snapshot ${id}`);
    const [manifest, tagList, marks] = await Promise.all([c.readManifest(name, id), c.listTags(name), options.erasures?.snapshotErasures([id])]);
    return {
      snapshot: { ...entry, tags: tagList.filter((t) => t.snapshot_id === id).map((t) => t.tag).sort() },
      erased_users: marks?.map((m) => ({ user_key: m.userKey, erased_at: new Date(m.erasedAt).toISOString() })) ?? null,
      manifest,
      pull_command: manifest ? pullCommand(name, id, serverUrl(request)) : null,
      load_dataset: manifest ? loadDatasetSnippet(manifest) : null,
    };
  });
}
