import { SluiceError, type Config, type EventLog, type QuarantinedEvent } from '@sluice/core';
import type { EventValidator, JsonSchema } from '@sluice/schemas';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isRfc3339DateTime } from '@sluice/schemas';
import type { IngestMetrics } from '../metrics.ts';
import { createRateLimiter } from '../rate-limiter.ts';
import { createEnrichEventStep } from '../steps/enrich-event.ts';
import { createValidateEventsStep } from '../steps/validate-events.ts';
import { bearerToken, createWriteKeyResolver } from '../write-keys.ts';

export interface BatchRoutesOptions {
  config: Pick<Config, 'ingest' | 'auth'>;
  eventLog: EventLog;
  validateEvent: EventValidator;
  metrics: IngestMetrics;
  batchSchema: JsonSchema;
}

declare module 'fastify' {
  interface FastifyRequest {
    writeKey?: { tenant: string; source: string; id: string };
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

/**
 * POST /v1/batch and POST /v1/beacon: authenticate the write key, rate-limit it, validate each
 * event on its own, enrich the valid ones, quarantine the rest, and answer only after the event
 * log says everything is durable.
 */
export async function batchRoutes(app: FastifyInstance, options: BatchRoutesOptions): Promise<void> {
  const { config, eventLog, metrics } = options;
  const resolveWriteKey = createWriteKeyResolver(config.auth.writeKeys);
  const rateLimiter = createRateLimiter({ ratePerSecond: config.ingest.rateLimitPerSecond, burst: config.ingest.rateLimitBurst });
  const validateEvents = createValidateEventsStep({ validateEvent: options.validateEvent });
  const enrichEvent = createEnrichEventStep({ maxFutureSkewMs: config.ingest.maxFutureSkewMs });

  // Auth runs before the body is read: an unauthenticated request costs no parsing.
  app.addHook('onRequest', async (request: FastifyRequest<{ Querystring: { key?: string } }>) => {
    const key = request.routeOptions.url === '/v1/beacon' ? request.query.key : bearerToken(request.headers.authorization);
    const writeKey = resolveWriteKey(key);
    if (!writeKey) throw new SluiceError('SLUICE_ERR_UNAUTHORIZED');
    const waitSeconds = rateLimiter.take(writeKey.id);
    if (waitSeconds > 0) {
      throw new SluiceError('SLUICE_ERR_RATE_LIMITED', undefined, { details: { retry_after_seconds: Math.ceil(waitSeconds) } });
    }
    request.writeKey = writeKey;
  });

  async function ingestBatch(request: FastifyRequest) {
    const writeKey = request.writeKey!;
    const receivedAt = Date.now();
    const body = request.body as { events?: unknown; sent_at?: unknown } | null;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(body.events)) {
      throw new SluiceError('SLUICE_ERR_BATCH_INVALID');
    }
    if (body.events.length > config.ingest.maxEventsPerBatch) {
      throw new SluiceError('SLUICE_ERR_BATCH_TOO_MANY_EVENTS',
        `${body.events.length} events in one request; the limit is ${config.ingest.maxEventsPerBatch}`);
    }
    if (body.sent_at !== undefined && !(typeof body.sent_at === 'string' && isRfc3339DateTime(body.sent_at))) {
      throw new SluiceError('SLUICE_ERR_BATCH_INVALID', 'sent_at must be an RFC 3339 date-time');
    }
    const context = {
      tenant: writeKey.tenant,
      source: writeKey.source,
      receivedAt,
      batchSentAt: typeof body.sent_at === 'string' ? Date.parse(body.sent_at) : null,
      clientIp: config.ingest.storeClientIp ? request.ip : null,
    };
    const { valid, rejected } = validateEvents(body.events);
    const events = valid.map((v) => enrichEvent(v.event, v.type, context));
    const quarantine: QuarantinedEvent[] = rejected.map((r) => ({
      tenant: writeKey.tenant, source: writeKey.source, receivedAt, eventId: r.event_id ?? null,
      code: r.code, pointer: r.pointer, message: r.message, payload: r.raw,
    }));

    const { duplicate } = await eventLog.append({ events, quarantine });

    const acceptedTypes: string[] = [];
    const duplicateTypes: string[] = [];
    for (let i = 0; i < events.length; i++) (duplicate[i] ? duplicateTypes : acceptedTypes).push(events[i]!.type);
    metrics.countEvents('accepted', writeKey.source, acceptedTypes);
    metrics.countEvents('duplicate', writeKey.source, duplicateTypes);
    metrics.countEvents('rejected', writeKey.source, rejected.map((r) => rejectedType(r.raw)));
    return {
      accepted: acceptedTypes.length,
      duplicates: duplicateTypes.length,
      rejected: rejected.map(({ raw: _raw, ...rest }) => rest),
    };
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
    preValidation: async (request) => requireMediaType(request, ['application/json']),
  }, ingestBatch);

  app.post('/v1/beacon', {
    schema: schema('Send a batch from navigator.sendBeacon', 'Same body as /v1/batch, as text/plain; the write key goes in `?key=`.', {
      querystring: { type: 'object', properties: { key: { type: 'string', description: 'Write key' } }, required: ['key'] },
    }),
    validatorCompiler: noBodyValidation,
    preValidation: async (request) => requireMediaType(request, ['text/plain', 'application/json']),
  }, ingestBatch);
}

function requireMediaType(request: FastifyRequest, allowed: readonly string[]): void {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!allowed.includes(mediaType)) {
    throw new SluiceError('SLUICE_ERR_UNSUPPORTED_MEDIA_TYPE', `Content-Type must be ${allowed.join(' or ')}`);
  }
}

function rejectedType(raw: unknown): string {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  return typeof type === 'string' && type.length <= 40 ? type : 'unknown';
}
