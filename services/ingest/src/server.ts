import { usesDevCredentials, type Config } from '@sluice/core';
import { createEventValidator, loadSchemas } from '@sluice/schemas';
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { buildIngestApp } from './app.ts';
import { createLander, createStderrLog, type Lander } from '@sluice/lander';
import { createIngestMetrics } from './metrics.ts';
import { openBlobStore, openEventLog, openWarehouse } from './storage.ts';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** Stops accepting, answers in-flight requests, flushes the write queue, closes storage. */
  close(): Promise<void>;
}

/**
 * Wires the deployment the config names — embedded (DuckDB + group commit) by default, or Kafka
 * and ClickHouse — and listens.
 */
export async function startServer(config: Config): Promise<RunningServer> {
  const warehouse = await openWarehouse(config);
  const metrics = createIngestMetrics();
  const materialization = warehouse.materialization?.bind(warehouse);
  if (materialization) metrics.watchMaterialization(materialization);
  const eventLog = await openEventLog(config, warehouse, { onCommit: (info) => metrics.observeCommit(info) })
    .catch(async (error: unknown) => { await warehouse.close(); throw error; });
  const blobStore = await openBlobStore(config);
  const app = await buildIngestApp(config, {
    eventLog, warehouse, metrics, version, blobStore, schemas: loadSchemas(), validateEvent: createEventValidator(),
  });
  // Kafka + DuckDB: only one process may open the DuckDB file, so the lander runs in here.
  let lander: Lander | null = null;
  if (config.eventLog.kind === 'kafka' && config.warehouse.kind === 'duckdb') {
    const kafka = config.eventLog.kafka;
    lander = createLander(
      { brokers: kafka.brokers, clientId: `${kafka.clientId}-lander`, groupId: kafka.groupId, topic: kafka.topic, quarantineTopic: kafka.quarantineTopic },
      { warehouse, metrics: metrics.registry, log: createStderrLog() },
    );
    await lander.start();
  }
  // Closing order matters: the HTTP server first (in-flight requests finish and are answered),
  // then the event log (queued commits land), then the lander (batches in hand land and commit),
  // then storage.
  app.addHook('onClose', async () => {
    await eventLog.close();
    await lander?.stop();
    await warehouse.close();
    await blobStore.close();
  });
  if (usesDevCredentials(config)) {
    app.log.warn('using the built-in development write key / admin token; set SLUICE_WRITE_KEYS and SLUICE_ADMIN_TOKEN for anything but local use');
  }
  const url = await app.listen({ host: config.server.host, port: config.server.port });
  return { app, url, close: () => closeGracefully(app) };
}

/**
 * app.close() answers in-flight requests, but a keep-alive socket that was busy when closing began
 * stays open until its keep-alive timeout (72 s) once its last response is sent. Close such
 * sockets as soon as they fall idle, and cut whatever is left after a grace period.
 */
async function closeGracefully(app: FastifyInstance, graceMs = 10_000): Promise<void> {
  const idle = setInterval(() => app.server.closeIdleConnections(), 100);
  const cut = setTimeout(() => app.server.closeAllConnections(), graceMs);
  try {
    await app.close();
  } finally {
    clearInterval(idle);
    clearTimeout(cut);
  }
}
