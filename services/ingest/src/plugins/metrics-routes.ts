import type { EventLog } from '@sluice/core';
import type { FastifyInstance } from 'fastify';
import type { IngestMetrics } from '../metrics.ts';

/** GET /metrics (Prometheus text) and the request-latency histogram that feeds it. */
export async function metricsRoutes(app: FastifyInstance, options: { metrics: IngestMetrics; eventLog: Pick<EventLog, 'queuedEvents'> }): Promise<void> {
  const { metrics, eventLog } = options;
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['operations'] } }, async (_request, reply) => {
    metrics.setQueueDepth(eventLog.queuedEvents());
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
