import { loadConfig } from '@sluice/core';
import { openWarehouse } from '@sluice/ingest';
import { createLander, createStderrLog, runLanderUntilSignal } from '@sluice/lander';
import Fastify from 'fastify';
import { Registry } from 'prom-client';

/**
 * `sluice land`: moves events from the Kafka topics into the configured warehouse (exactly once),
 * and serves /metrics (consumer lag, landed events), /healthz and /readyz on SLUICE_PORT.
 * With the embedded DuckDB warehouse use `sluice serve` instead: it runs the lander in-process,
 * since only one process may open the DuckDB file. On ClickHouse, any number of `sluice land`
 * processes (up to the partition count) may share the warehouse: they number their batches by
 * reservation on the sequence topic (docs/decisions/0006).
 */
export async function landCommand(_args: string[]): Promise<void> {
  const config = loadConfig(process.env);
  const kafka = config.eventLog.kafka;
  const warehouse = await openWarehouse(config);
  const registry = new Registry();
  const lander = createLander(
    {
      brokers: kafka.brokers, clientId: `${kafka.clientId}-lander`, groupId: kafka.groupId, topic: kafka.topic, quarantineTopic: kafka.quarantineTopic,
      sequenceTopic: kafka.sequenceTopic, ...(kafka.replicationFactor === undefined ? {} : { sequenceReplicationFactor: kafka.replicationFactor }),
    },
    { warehouse, metrics: registry, log: createStderrLog() },
  );
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await warehouse.ping();
      return { status: 'ready', lander: lander.status() };
    } catch {
      return reply.status(503).send({ status: 'unavailable', error: { code: 'SLUICE_ERR_STORAGE_UNAVAILABLE', message: 'warehouse unreachable' } });
    }
  });
  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  await app.listen({ host: config.server.host, port: config.server.port });
  try {
    await runLanderUntilSignal(lander);
  } finally {
    await app.close();
    await warehouse.close();
  }
}
