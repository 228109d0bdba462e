import type { EventLog } from '@sluice/core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { IngestMetrics } from '../metrics.ts';

/**
 * GET /metrics (Prometheus text) and the request-latency hook, registered on the root instance
 * (fastify-plugin) so it times every route.
 */
export const metricsPlugin = fp(async (app: FastifyInstance, options: { metrics: IngestMetrics; eventLog: Pick<EventLog, 'queuedEvents'> }) => {
  const { metrics, eventLog } = options;
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['operations'] } }, async (_request, reply) => {
    metrics.setQueueDepth(eventLog.queuedEvents());
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}, { name: 'sluice-metrics' });
