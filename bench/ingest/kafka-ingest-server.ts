/**
 * The ingest process of the scale-out deployment, for bench/ingest/kafka.ts: the same Fastify app
 * and Kafka event log as `sluice serve` with SLUICE_EVENT_LOG=kafka and SLUICE_WAREHOUSE=clickhouse,
 * where the lander is a process of its own (`sluice land`, usually on another machine).
 *
 * The bench machine has no ClickHouse server, and `sluice serve` on the DuckDB warehouse runs the
 * lander inside itself (only one process may open the DuckDB file). So this entry opens the
 * DuckDB warehouse only for what the app reads from it (health, admin, console; none of it on
 * the ingest path) and starts no lander. The lander's own cost is measured by bench/land/run.ts,
 * and kafka.ts also measures `sluice serve` with the lander inside.
 *
 *   SLUICE_EVENT_LOG=kafka SLUICE_KAFKA_BROKERS=… node bench/ingest/kafka-ingest-server.ts
 */
import { loadConfig } from '@sluice/core';
import { buildIngestApp, createIngestMetrics, openEventLog, openWarehouse } from '@sluice/ingest';
import { createEventValidator, loadSchemas } from '@sluice/schemas';

const config = loadConfig(process.env);
if (config.eventLog.kind !== 'kafka') throw new Error('set SLUICE_EVENT_LOG=kafka');
const warehouse = await openWarehouse(config);
const metrics = createIngestMetrics();
const eventLog = await openEventLog(config, warehouse, { onCommit: (info) => metrics.observeCommit(info) });
const app = await buildIngestApp(config, {
  eventLog, warehouse, metrics, version: 'bench', schemas: loadSchemas(), validateEvent: createEventValidator(),
});
app.addHook('onClose', async () => {
  await eventLog.close();
  await warehouse.close();
});
await app.listen({ host: config.server.host, port: config.server.port });

const stop = () => {
  const idle = setInterval(() => app.server.closeIdleConnections(), 100);
  app.close().then(() => process.exit(0), () => process.exit(1)).finally(() => clearInterval(idle));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
