import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { SchemaSet } from '@sluice/schemas';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { bundleSchemasForOpenApi } from '../openapi-components.ts';

/**
 * OpenAPI 3.1 at /openapi.json and a docs UI at /docs. Routes describe themselves; the event
 * schemas are the contract files themselves (3.1 speaks JSON Schema 2020-12), bundled as components.
 */
export const openApiPlugin = fp(async (app: FastifyInstance, options: { schemas: SchemaSet; version: string }) => {
  const components = bundleSchemasForOpenApi(options.schemas);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Sluice API',
        version: options.version,
        description: 'Capture interaction events from AI products. Per-event validation uses the JSON Schemas under components.',
      },
      components: {
        schemas: components as never,
        securitySchemes: {
          writeKey: { type: 'http', scheme: 'bearer', description: 'A write key: one source within one tenant.' },
          adminToken: { type: 'http', scheme: 'bearer', description: 'The admin token (read APIs).' },
          readToken: { type: 'http', scheme: 'bearer', description: 'A read token, scoped to datasets (snapshot API).' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}, { name: 'sluice-openapi' });
