import { Readable } from 'node:stream';
import { SluiceError, isSluiceError, type BlobStore, type CurationStore } from '@sluice/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { contentTypeOf } from '../export/publish-files.ts';
import { SnapshotCatalog } from '../snapshot/catalog.ts';
import type { SnapshotManifest } from '../snapshot/manifest.ts';
import { parseByteRange } from './byte-range.ts';
import { createReadTokenAuth, type ReadScope, type ReadToken } from './read-tokens.ts';

export interface ExportRoutesOptions {
  blobStore: BlobStore;
  readTokens: readonly ReadToken[];
  /**
   * Blob key prefix the snapshots were exported under; default 'datasets'. (Not `prefix`:
   * Fastify reserves that register option for the routes' URL prefix.)
   */
  keyPrefix?: string;
  /** Lifetime of presigned URLs handed out when the store is S3; default 15 minutes. */
  presignSeconds?: number;
  /**
   * The warehouse's snapshot registry, for the erasure marks (erasures of users a snapshot holds).
   * Without it the erasures route answers SLUICE_ERR_FEATURE_UNAVAILABLE and listings carry no flag.
   */
  erasures?: Pick<CurationStore, 'snapshotErasures'>;
}

const fileQuery = z.strictObject({ redirect: z.enum(['true', 'false', '1', '0']).optional() });

/**
 * Trainer access to published snapshots, behind read tokens scoped per dataset:
 *   GET /v1/datasets                      datasets the token may read
 *   GET /v1/datasets/:name/snapshots      snapshots (newest first) and tags
 *   GET /v1/snapshots/:id                 the manifest of a ready snapshot (x-sluice-contains-erased-users header)
 *   GET /v1/snapshots/:id/erasures        users of the snapshot erased since (by lineage user_key)
 *   GET /v1/snapshots/:id/files/*         a file: 302 to a presigned URL (S3), or streamed with Range
 * An encapsulated plugin (not fastify-plugin): its auth hook must cover these routes only.
 */
export async function exportRoutes(app: FastifyInstance, options: ExportRoutesOptions): Promise<void> {
  const catalog = new SnapshotCatalog(options.blobStore, options.keyPrefix ?? 'datasets');
  const authenticate = createReadTokenAuth(options.readTokens);
  const presignSeconds = options.presignSeconds ?? 900;

  // Scopes by request, without widening FastifyRequest for every other plugin of the app.
  const scopes = new WeakMap<FastifyRequest, ReadScope>();
  app.addHook('onRequest', async (request) => {
    scopes.set(request, authenticate(request.headers.authorization));
  });

  const scopeOf = (request: FastifyRequest): ReadScope => scopes.get(request)!;
  const requireDataset = (request: FastifyRequest, name: string) => {
    if (!scopeOf(request).allows(name)) throw new SluiceError('SLUICE_ERR_FORBIDDEN', `this read token cannot read dataset ${name}`);
  };

  /** The ready manifest of snapshot `id`, after checking the token may read its dataset. */
  async function readySnapshot(request: FastifyRequest, id: string): Promise<SnapshotManifest> {
    const name = await catalog.datasetOf(id);
    if (name === null) throw new SluiceError('SLUICE_ERR_SNAPSHOT_NOT_FOUND', `no snapshot ${id}`);
    requireDataset(request, name);
    const manifest = await catalog.readManifest(name, id);
    if (!manifest) throw new SluiceError('SLUICE_ERR_SNAPSHOT_NOT_FOUND', `snapshot ${id} is not ready (building or failed)`);
    return manifest;
  }

  const security = [{ readToken: [] }];

  app.get('/v1/datasets', { schema: { summary: 'Datasets this read token may read', tags: ['snapshots'], security } }, async (request) => {
    const datasets = (await catalog.listDatasets()).filter((d) => scopeOf(request).allows(d.name));
    return { datasets };
  });

  app.get<{ Params: { name: string } }>('/v1/datasets/:name/snapshots', {
    schema: { summary: 'Snapshots of a dataset, newest first, with its tags', tags: ['snapshots'], security },
  }, async (request) => {
    const { name } = request.params;
    requireDataset(request, name);
    if (!(await catalog.datasetExists(name))) throw new SluiceError('SLUICE_ERR_DATASET_NOT_FOUND', `no dataset ${name}`);
    const [snapshots, tags] = await Promise.all([catalog.listSnapshots(name), catalog.listTags(name)]);
    const marked = options.erasures ? new Set((await options.erasures.snapshotErasures(snapshots.map((s) => s.id))).map((e) => e.snapshotId)) : null;
    return {
      name, tags: Object.fromEntries(tags.map((t) => [t.tag, t.snapshot_id]).sort()),
      snapshots: marked ? snapshots.map((s) => ({ ...s, contains_erased_users: marked.has(s.id) })) : snapshots,
    };
  });

  app.get<{ Params: { id: string } }>('/v1/snapshots/:id', {
    schema: { summary: 'The manifest of a ready snapshot', tags: ['snapshots'], security },
  }, async (request, reply) => {
    const manifest = await readySnapshot(request, request.params.id);
    if (options.erasures) {
      const marks = await options.erasures.snapshotErasures([manifest.id]);
      void reply.header('x-sluice-contains-erased-users', String(marks.length > 0));
    }
    return manifest;
  });

  app.get<{ Params: { id: string } }>('/v1/snapshots/:id/erasures', {
    schema: {
      summary: 'Users of a ready snapshot erased since it was published (the files stay as they are)', tags: ['snapshots'], security,
      description: 'Drop the rows whose lineage.parquet user_key is listed, or pull a snapshot exported after the erasure.',
    },
  }, async (request) => {
    const manifest = await readySnapshot(request, request.params.id);
    if (!options.erasures) throw new SluiceError('SLUICE_ERR_FEATURE_UNAVAILABLE', 'this server was given no warehouse to read erasure marks from');
    const marks = await options.erasures.snapshotErasures([manifest.id]);
    return {
      snapshot_id: manifest.id,
      contains_erased_users: marks.length > 0,
      erased_users: marks.map((m) => ({ user_key: m.userKey, erased_at: new Date(m.erasedAt).toISOString() })),
    };
  });

  // GET and HEAD declared together: Fastify's automatic HEAD route would read the whole file
  // just to discard it, and report a content-length of 0.
  app.route<{ Params: { id: string; '*': string }; Querystring: Record<string, string> }>({
    method: ['GET', 'HEAD'],
    url: '/v1/snapshots/:id/files/*',
    schema: { summary: 'A file of a ready snapshot (Range supported; S3 answers with a redirect)', tags: ['snapshots'], security },
    handler: async (request, reply) => {
      const query = fileQuery.safeParse(request.query);
      if (!query.success) throw new SluiceError('SLUICE_ERR_QUERY_INVALID', 'the only query parameter is redirect=true|false');
      const manifest = await readySnapshot(request, request.params.id);
      const path = request.params['*'];
      if (path === 'manifest.json') return manifest;
      const file = manifest.files.find((f) => f.path === path);
      if (!file) throw new SluiceError('SLUICE_ERR_SNAPSHOT_NOT_FOUND', `snapshot ${manifest.id} has no file ${path}`);
      const key = catalog.layout.fileKey(manifest.name, manifest.id, path);

      const redirect = query.data.redirect === undefined || query.data.redirect === 'true' || query.data.redirect === '1';
      const url = redirect ? await options.blobStore.presignGet(key, presignSeconds) : null;
      if (url !== null) {
        // The trainer downloads straight from the bucket; its client drops our Authorization header
        // on the cross-origin redirect, and the URL carries its own signature.
        return reply.header('cache-control', 'no-store').redirect(url, 302);
      }
      return streamFile(request, reply, options.blobStore, key, file);
    },
  });
}

async function streamFile(
  request: FastifyRequest, reply: FastifyReply, blobStore: BlobStore, key: string, file: SnapshotManifest['files'][number],
): Promise<FastifyReply> {
  void reply.header('accept-ranges', 'bytes').header('etag', `"${file.sha256}"`).header('x-sluice-sha256', file.sha256)
    .header('content-type', contentTypeOf(file.path));
  let range;
  try {
    range = parseByteRange(request.headers.range, file.bytes);
  } catch (error) {
    if (isSluiceError(error)) void reply.header('content-range', `bytes */${file.bytes}`);
    throw error;
  }
  if (request.method === 'HEAD') {
    return reply.header('content-length', String(file.bytes)).send();
  }
  const read = await blobStore.get(key, range ?? undefined);
  void reply.header('content-length', String(read.contentLength));
  if (range) void reply.status(206).header('content-range', `bytes ${range.start}-${range.end - 1}/${read.size}`);
  return reply.send(Readable.from(read.body));
}
