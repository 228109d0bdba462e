import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** The capture endpoints browsers call: write keys are public by design, like any analytics key. */
const CAPTURE_PATHS: ReadonlySet<string> = new Set(['/v1/batch', '/v1/beacon', '/v1/otlp/v1/traces']);

/**
 * CORS for the capture endpoints only, so a browser SDK can `fetch` /v1/batch from another origin
 * with an Authorization header (that needs a preflight). Admin, console and snapshot routes stay
 * same-origin. `origins` is an allow-list; '*' allows any origin.
 */
export const corsPlugin = fp(async (app: FastifyInstance, options: { origins: readonly string[] }) => {
  const anyOrigin = options.origins.includes('*');
  const allowed = new Set(options.origins);
  const allowOrigin = (request: FastifyRequest): string | null => {
    const origin = request.headers.origin;
    if (!origin || !CAPTURE_PATHS.has(request.url.split('?')[0]!)) return null;
    return anyOrigin || allowed.has(origin) ? origin : null;
  };
  const setHeaders = (reply: FastifyReply, origin: string): void => {
    void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
  };

  app.addHook('onRequest', async (request, reply) => {
    const origin = allowOrigin(request);
    if (origin === null || request.method !== 'OPTIONS') return;
    setHeaders(reply, origin);
    return reply.status(204)
      .header('access-control-allow-methods', 'POST, OPTIONS')
      .header('access-control-allow-headers', 'authorization, content-type, content-encoding')
      .header('access-control-max-age', '86400')
      .send();
  });
  app.addHook('onSend', async (request, reply) => {
    const origin = allowOrigin(request);
    if (origin !== null) {
      setHeaders(reply, origin);
      void reply.header('access-control-expose-headers', 'retry-after');
    }
  });
}, { name: 'sluice-cors' });
