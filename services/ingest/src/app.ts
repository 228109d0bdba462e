import type { BlobStore, Config, CurationStore, EventLog, Warehouse } from '@sluice/core';
import { consolePlugin } from '@sluice/console';
import { exportRoutes } from '@sluice/export';
import type { EventValidator, SchemaSet } from '@sluice/schemas';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { createWriteKeyAuthenticator } from './authenticate-write-key.ts';
import type { IngestMetrics } from './metrics.ts';
import { otlpRoutes } from './otlp/otlp-routes.ts';
import { adminRoutes } from './plugins/admin-routes.ts';
import { batchRoutes } from './plugins/batch-routes.ts';
import { bodyParserPlugin } from './plugins/body-parser.ts';
import { corsPlugin } from './plugins/cors.ts';
import { errorHandlerPlugin } from './plugins/error-handler.ts';
import { healthRoutes } from './plugins/health-routes.ts';
import { metricsPlugin } from './plugins/metrics-routes.ts';
import { openApiPlugin } from './plugins/openapi.ts';

export interface IngestAppDeps {
  eventLog: EventLog;
  warehouse: Warehouse;
  validateEvent: EventValidator;
  schemas: SchemaSet;
  metrics: IngestMetrics;
  version: string;
  /** Published snapshots, served to trainers; the snapshot API is off without it. */
  blobStore?: BlobStore;
}

/** Builds the HTTP app without listening, so tests drive it with app.inject(). */
export async function buildIngestApp(config: Pick<Config, 'server' | 'ingest' | 'auth' | 'export' | 'curation'>, deps: IngestAppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.server.logLevel === 'silent' ? false : { level: config.server.logLevel },
    // Per-request logs cost more than the ingest path at load; errors are logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.server.trustProxy,
    bodyLimit: config.ingest.maxBodyBytes,
  });
  await app.register(errorHandlerPlugin);
  await app.register(bodyParserPlugin, { maxBodyBytes: config.ingest.maxBodyBytes });
  await app.register(corsPlugin, { origins: config.ingest.corsOrigins });
  await app.register(openApiPlugin, { schemas: deps.schemas, version: deps.version });
  await app.register(metricsPlugin, { metrics: deps.metrics, eventLog: deps.eventLog });
  await app.register(healthRoutes, { warehouse: deps.warehouse });
  const authenticateWriteKey = createWriteKeyAuthenticator(config);
  await app.register(batchRoutes, {
    config, eventLog: deps.eventLog, validateEvent: deps.validateEvent, metrics: deps.metrics, batchSchema: deps.schemas.batch, authenticateWriteKey,
  });
  await app.register(otlpRoutes, { config, eventLog: deps.eventLog, validateEvent: deps.validateEvent, metrics: deps.metrics, authenticateWriteKey });
  await app.register(adminRoutes, { adminToken: config.auth.adminToken, warehouse: deps.warehouse });
  await app.register(consolePlugin, { warehouse: deps.warehouse, blobStore: deps.blobStore, config, metrics: deps.metrics });
  if (deps.blobStore) {
    await app.register(exportRoutes, {
      blobStore: deps.blobStore, readTokens: config.export.readTokens, keyPrefix: config.export.prefix, presignSeconds: config.export.presignSeconds,
      // Erasure marks live in the warehouse's snapshot registry (both warehouse adapters keep one).
      ...(typeof (deps.warehouse as Partial<CurationStore>).snapshotErasures === 'function' && { erasures: deps.warehouse as unknown as CurationStore }),
    });
  }
  return app;
}
