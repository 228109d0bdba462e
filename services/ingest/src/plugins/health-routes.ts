import type { Warehouse } from '@sluice/core';
import type { FastifyInstance } from 'fastify';

/** /healthz: the process is up. /readyz: storage answers, so requests can be acknowledged. */
export async function healthRoutes(app: FastifyInstance, options: { warehouse: Pick<Warehouse, 'ping'> }): Promise<void> {
  app.get('/healthz', { schema: { summary: 'Liveness', tags: ['operations'] } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { summary: 'Readiness: storage reachable', tags: ['operations'] } }, async (request, reply) => {
    try {
      await options.warehouse.ping();
      return { status: 'ready' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.status(503).send({ status: 'unavailable', error: { code: 'SLUICE_ERR_STORAGE_UNAVAILABLE', message: 'storage is unreachable' } });
    }
  });
}
