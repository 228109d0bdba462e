import { SluiceError, formatZodIssues, type Warehouse } from '@sluice/core';
import type { FastifyInstance } from 'fastify';
import { timingSafeEqual, createHash } from 'node:crypto';
import { z } from 'zod';
import { bearerToken } from '../write-keys.ts';

const limit = z.coerce.number().int().min(1).max(1000).default(100);
const afterSeq = z.coerce.number().int().min(0).optional();
const eventsQuery = z.strictObject({
  limit, after_seq: afterSeq,
  source: z.string().optional(), type: z.string().optional(), user_id: z.string().optional(), session_id: z.string().optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
});
const quarantineQuery = z.strictObject({ limit, after_seq: afterSeq, source: z.string().optional() });

function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const result = schema.safeParse(query);
  if (!result.success) {
    throw new SluiceError('SLUICE_ERR_QUERY_INVALID', `invalid query:\n${formatZodIssues(result.error)}`,
      { details: { issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } });
  }
  return result.data;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Read-only admin API over what was stored: GET /v1/events and GET /v1/quarantine, behind the
 * admin token (never a write key). `sluice events tail` polls the first with after_seq.
 */
export async function adminRoutes(app: FastifyInstance, options: { adminToken: string; warehouse: Warehouse }): Promise<void> {
  const expected = digest(options.adminToken);
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request.headers.authorization);
    if (!token || !timingSafeEqual(digest(token), expected)) throw new SluiceError('SLUICE_ERR_ADMIN_UNAUTHORIZED');
  });

  const security = [{ adminToken: [] }];
  app.get('/v1/events', {
    schema: {
      summary: 'List stored events', tags: ['admin'], security,
      description: 'Oldest first from after_seq (for tailing), or newest first with order=desc.',
      querystring: {
        type: 'object',
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, after_seq: { type: 'integer', minimum: 0 },
          source: { type: 'string' }, type: { type: 'string' }, user_id: { type: 'string' }, session_id: { type: 'string' },
          order: { type: 'string', enum: ['asc', 'desc'] },
        },
      },
    },
  }, async (request) => {
    const q = parseQuery(eventsQuery, request.query);
    const events = await options.warehouse.listEvents({
      limit: q.limit, order: q.order,
      ...(q.after_seq !== undefined && { afterSeq: q.after_seq }),
      ...(q.source !== undefined && { source: q.source }),
      ...(q.type !== undefined && { type: q.type }),
      ...(q.user_id !== undefined && { userId: q.user_id }),
      ...(q.session_id !== undefined && { sessionId: q.session_id }),
    });
    return { events: events.map(toApiEvent) };
  });

  app.get('/v1/quarantine', {
    schema: {
      summary: 'List quarantined (rejected) events', tags: ['admin'], security,
      querystring: { type: 'object', properties: { limit: { type: 'integer' }, after_seq: { type: 'integer' }, source: { type: 'string' } } },
    },
  }, async (request) => {
    const q = parseQuery(quarantineQuery, request.query);
    const rows = await options.warehouse.listQuarantine({
      limit: q.limit,
      ...(q.after_seq !== undefined && { afterSeq: q.after_seq }),
      ...(q.source !== undefined && { source: q.source }),
    });
    return {
      quarantine: rows.map((r) => ({
        quarantine_seq: r.quarantineSeq, tenant: r.tenant, source: r.source, received_at: new Date(r.receivedAt).toISOString(),
        event_id: r.eventId, code: r.code, pointer: r.pointer, message: r.message, payload: r.payload,
      })),
    };
  });
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function toApiEvent(e: Awaited<ReturnType<Warehouse['listEvents']>>[number]) {
  return {
    ingest_seq: e.ingestSeq, event_id: e.eventId, tenant: e.tenant, source: e.source, type: e.type,
    occurred_at: iso(e.occurredAt), sent_at: iso(e.sentAt), received_at: iso(e.receivedAt), timestamp: iso(e.timestamp),
    user_id: e.userId, anonymous_id: e.anonymousId, session_id: e.sessionId, trace_id: e.traceId, parent_id: e.parentId,
    client_ip: e.clientIp, event: e.payload,
  };
}
