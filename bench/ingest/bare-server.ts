import Fastify from 'fastify';

/**
 * The baseline: a bare Fastify route that parses the JSON body and answers 200. Same framework,
 * same body size limit, no auth, validation or storage — the ceiling Sluice is compared with.
 */
const app = Fastify({ bodyLimit: 5 * 1024 * 1024 });
app.post('/v1/batch', async (request) => ({ accepted: (request.body as { events: unknown[] }).events.length }));
const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
console.log(address);
