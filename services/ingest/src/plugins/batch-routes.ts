import { SluiceError, type Config, type EventLog } from '@sluice/core';
import type { EventValidator, JsonSchema } from '@sluice/schemas';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WriteKeyAuthenticator, WriteKeyIdentity } from '../authenticate-write-key.ts';
import { answerIngest, createEventIngestion } from '../ingest-events.ts';
import { startPreparationThread } from '../prepare/preparation-thread.ts';
import { readBatch } from '../read-batch.ts';
import type { IngestMetrics } from '../metrics.ts';
import { unambiguousEventsBody } from '../received-body.ts';
import { bearerToken } from '../write-keys.ts';

export interface BatchRoutesOptions {
  config: Pick<Config, 'ingest' | 'auth'>;
  eventLog: EventLog;
  validateEvent: EventValidator;
  metrics: IngestMetrics;
  batchSchema: JsonSchema;
  /** Shared with the other ingest routes, so a write key has one rate-limit budget. */
  authenticateWriteKey: WriteKeyAuthenticator;
}

declare module 'fastify' {
  interface FastifyRequest {
    writeKey?: WriteKeyIdentity;
  }
}

const batchResponseSchema = {
  type: 'object',
  required: ['accepted', 'duplicates', 'rejected'],
  properties: {
    accepted: { type: 'integer', description: 'Events stored by this request.' },
    duplicates: { type: 'integer', description: 'Events whose event_id this source had already sent; stored once, not again.' },
    rejected: {
      type: 'array',
      description: 'Events that failed validation; they are kept in quarantine. Do not retry them unchanged.',
      items: {
        type: 'object',
        required: ['index', 'code', 'pointer', 'message'],
        properties: {
          index: { type: 'integer' },
          event_id: { type: 'string' },
          code: { type: 'string' },
          pointer: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
} as const;

const errorResponseSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, additionalProperties: true } },
} as const;

/** Request bodies waiting for the preparation thread beyond which requests get 503 (backpressure). */
const MAX_BODY_BYTES_WAITING_FOR_PREPARATION = 256 * 2 ** 20;

/**
 * POST /v1/batch and POST /v1/beacon: authenticate the write key, rate-limit it, validate each
 * event on its own, enrich the valid ones, quarantine the rest, and answer only after the event
 * log says everything is durable.
 */
export async function batchRoutes(app: FastifyInstance, options: BatchRoutesOptions): Promise<void> {
  const { config } = options;
  const ingestEvents = createEventIngestion({
    eventLog: options.eventLog, validateEvent: options.validateEvent, metrics: options.metrics, maxFutureSkewMs: config.ingest.maxFutureSkewMs,
  });

  // Auth runs before the body is read: an unauthenticated request costs no parsing.
  app.addHook('onRequest', async (request: FastifyRequest<{ Querystring: { key?: string } }>) => {
    const key = request.routeOptions.url === '/v1/beacon' ? request.query.key : bearerToken(request.headers.authorization);
    request.writeKey = options.authenticateWriteKey(key);
  });

  // The embedded store takes bodies prepared on a thread of their own (docs/decisions/0020).
  const appendPrepared = options.eventLog.appendPrepared?.bind(options.eventLog);
  const preparation = config.ingest.preparationThread && appendPrepared
    ? await startPreparationThread({
      maxEventsPerBatch: config.ingest.maxEventsPerBatch, maxFutureSkewMs: config.ingest.maxFutureSkewMs, maxWaitingBytes: MAX_BODY_BYTES_WAITING_FOR_PREPARATION,
    })
    : null;
  if (preparation) {
    options.metrics.watchPreparation(() => preparation.waitingBytes());
    app.addHook('onClose', () => preparation.close());
  }

  async function ingestBatch(request: FastifyRequest) {
    const writeKey = request.writeKey!;
    const receivedAt = Date.now();
    const clientIp = config.ingest.storeClientIp ? request.ip : null;
    if (preparation && appendPrepared) {
      const json = request.body;
      // No body at all (nothing for the JSON parser to hand over) is not a batch either.
      if (!Buffer.isBuffer(json)) throw new SluiceError('SLUICE_ERR_BATCH_INVALID');
      request.body = undefined;
      const prepared = await preparation.prepare(json, { tenant: writeKey.tenant, source: writeKey.source, receivedAt, clientIp });
      const { body, quarantine, ...answer } = prepared;
      return answerIngest({ appended: appendPrepared(body, quarantine), ...answer }, writeKey.source, options.metrics);
    }
    const batch = readBatch(request.body, config.ingest.maxEventsPerBatch);
    const json = request.jsonBytes;
    // The request lives until its answer: it no longer holds the parsed body once it is handed
    // over (see handOver in ingest-events.ts).
    request.body = undefined;
    request.jsonBytes = undefined;
    return ingestEvents(batch.events, {
      writeKey, receivedAt, batchSentAt: batch.sentAt, clientIp, body: json ? unambiguousEventsBody(json) : null,
    });
  }

  const { $schema: _draft, ...batchBodySchema } = options.batchSchema;
  const schema = (summary: string, description: string, extra: Record<string, unknown>) => ({
    summary,
    description,
    tags: ['ingest'],
    body: batchBodySchema,
    response: { 200: batchResponseSchema, '4xx': errorResponseSchema, '5xx': errorResponseSchema },
    ...extra,
  });
  // Each event is validated by the contract's own validator (JSON Schema 2020-12); Fastify's
  // draft-07 validator only documents the body here.
  const noBodyValidation = () => () => true;

  app.post('/v1/batch', {
    schema: schema('Send a batch of events', 'JSON body, optionally gzip. Auth: `Authorization: Bearer <write key>`.', { security: [{ writeKey: [] }] }),
    validatorCompiler: noBodyValidation,
    config: { rawJson: preparation !== null },
    preValidation: async (request) => requireMediaType(request, ['application/json']),
  }, ingestBatch);

  app.post('/v1/beacon', {
    schema: schema('Send a batch from navigator.sendBeacon', 'Same body as /v1/batch, as text/plain; the write key goes in `?key=`.', {
      querystring: { type: 'object', properties: { key: { type: 'string', description: 'Write key' } }, required: ['key'] },
    }),
    validatorCompiler: noBodyValidation,
    config: { rawJson: preparation !== null },
    preValidation: async (request) => requireMediaType(request, ['text/plain', 'application/json']),
  }, ingestBatch);
}

function requireMediaType(request: FastifyRequest, allowed: readonly string[]): void {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!allowed.includes(mediaType)) {
    throw new SluiceError('SLUICE_ERR_UNSUPPORTED_MEDIA_TYPE', `Content-Type must be ${allowed.join(' or ')}`);
  }
}
