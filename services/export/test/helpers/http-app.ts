import type { BlobStore, CurationStore } from '@sluice/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { errorHandlerPlugin } from '../../../ingest/src/plugins/error-handler.ts';
import { exportRoutes } from '../../src/http/export-routes.ts';
import type { ReadToken } from '../../src/http/read-tokens.ts';

export const ALL_TOKEN = 'rt_all_datasets_0123456789';
export const SUPPORT_TOKEN = 'rt_support_only_0123456789';
export const OTHER_TOKEN = 'rt_other_dataset_0123456789';
export const readTokens: ReadToken[] = [
  { token: ALL_TOKEN, datasets: ['*'] },
  { token: SUPPORT_TOKEN, datasets: ['support-bot'], name: 'support trainer' },
  { token: OTHER_TOKEN, datasets: ['coding-bot'] },
];

/** The app as ingest builds it: the real error handler, then the export routes. */
export async function buildApp(blobStore: BlobStore, erasures?: Pick<CurationStore, 'snapshotErasures'>): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(errorHandlerPlugin);
  await app.register(exportRoutes, { blobStore, readTokens, ...(erasures && { erasures }) });
  await app.ready();
  return app;
}

export const auth = (token: string) => ({ authorization: `Bearer ${token}` });
