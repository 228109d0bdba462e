import type { BlobStore, Config, Warehouse } from '@sluice/core';
import type { FastifyInstance } from 'fastify';
import { requireAdminToken } from './lib/http.ts';
import { createIngestStats } from './lib/ingest-stats.ts';
import { curationStoreOf } from './lib/recent-generations.ts';
import { eventRoutes } from './routes/events.ts';
import { overviewRoutes, type MetricsSource } from './routes/overview.ts';
import { quarantineRoutes } from './routes/quarantine.ts';
import { rulesetRoutes } from './routes/rulesets.ts';
import { snapshotRoutes } from './routes/snapshots.ts';
import { staticFileRoutes } from './routes/static-files.ts';

export interface ConsoleOptions {
  /** The server's warehouse; rulesets and dry-runs need its curation side (checked per request). */
  warehouse: Warehouse;
  /** Published snapshots; the snapshot pages answer SLUICE_ERR_FEATURE_UNAVAILABLE without it. */
  blobStore?: BlobStore | undefined;
  /** `curation` may be absent (dry-runs then answer SLUICE_ERR_FEATURE_UNAVAILABLE). */
  config: Pick<Config, 'auth' | 'export'> & Partial<Pick<Config, 'curation'>>;
  /** The ingest metrics registry: outcome counters since start (duplicates are never stored). */
  metrics?: MetricsSource | undefined;
  now?: () => number;
}

/**
 * The steward console: a static single-page app at /console (public: it holds no data) and the
 * admin read/write API it calls under /v1/admin/…, every route behind the admin token. An
 * encapsulated plugin (not fastify-plugin), so the token hook covers these routes only.
 */
export async function consolePlugin(app: FastifyInstance, options: ConsoleOptions): Promise<void> {
  await app.register(staticFileRoutes);
  const stats = createIngestStats(options.warehouse, options.now ? { now: options.now } : {});
  await app.register(async (admin) => {
    requireAdminToken(admin, options.config.auth.adminToken);
    await admin.register(overviewRoutes, { stats, ...(options.metrics ? { metrics: options.metrics } : {}) });
    await admin.register(eventRoutes, { warehouse: options.warehouse });
    await admin.register(quarantineRoutes, { warehouse: options.warehouse, ...(options.now ? { now: options.now } : {}) });
    await admin.register(rulesetRoutes, {
      warehouse: options.warehouse, ...(options.config.curation ? { pseudonymKey: options.config.curation.pseudonymKey } : {}),
    });
    const curation = curationStoreOf(options.warehouse);
    await admin.register(snapshotRoutes, {
      keyPrefix: options.config.export.prefix, ...(options.blobStore ? { blobStore: options.blobStore } : {}), ...(curation ? { erasures: curation } : {}),
    });
  });
}
