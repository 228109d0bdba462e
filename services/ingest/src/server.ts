import { duckdbPath, usesDevCredentials, type Config } from '@sluice/core';
import { createGroupCommitEventLog } from '@sluice/event-log-embedded';
import { createEventValidator, loadSchemas } from '@sluice/schemas';
import { createDuckDbWarehouse } from '@sluice/warehouse-duckdb';
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { buildIngestApp } from './app.ts';
import { createIngestMetrics } from './metrics.ts';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** Stops accepting, answers in-flight requests, flushes the write queue, closes storage. */
  close(): Promise<void>;
}

/** Wires the embedded deployment (DuckDB warehouse, group-commit event log) and listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  const warehouse = await createDuckDbWarehouse({ path: duckdbPath(config), checkpointThreshold: config.warehouse.checkpointThreshold });
  const metrics = createIngestMetrics();
  const eventLog = createGroupCommitEventLog(warehouse, config.groupCommit, { onCommit: (info) => metrics.observeCommit(info) });
  const app = await buildIngestApp(config, {
    eventLog, warehouse, metrics, version, schemas: loadSchemas(), validateEvent: createEventValidator(),
  });
  // Closing order matters: the HTTP server first (in-flight requests finish and are answered),
  // then the event log (queued commits land), then storage.
  app.addHook('onClose', async () => {
    await eventLog.close();
    await warehouse.close();
  });
  if (usesDevCredentials(config)) {
    app.log.warn('using the built-in development write key / admin token; set SLUICE_WRITE_KEYS and SLUICE_ADMIN_TOKEN for anything but local use');
  }
  const url = await app.listen({ host: config.server.host, port: config.server.port });
  return { app, url, close: () => app.close() };
}
