import type { StoredEvent, Warehouse } from '@sluice/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toApiEvent } from '../lib/api-event.ts';
import { adminSecurity, parseInput } from '../lib/http.ts';
import { eventsBySeq, type EventFilter } from '../lib/seq-logs.ts';
import { scanWindow, seqAtTime } from '../lib/seq-window.ts';

const time = z.iso.datetime({ offset: true }).transform((t) => Date.parse(t));
const eventsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after_seq: z.coerce.number().int().min(0).optional(),
  since: time.optional(), until: time.optional(),
  type: z.string().min(1).optional(), source: z.string().min(1).optional(),
  user_id: z.string().min(1).optional(), session_id: z.string().min(1).optional(),
});
const SCAN_BUDGET = 20_000;
const SESSION_LIMIT = 1000;

const stringProps = (names: string[]) => Object.fromEntries(names.map((n) => [n, { type: 'string' }]));

export async function eventRoutes(app: FastifyInstance, options: { warehouse: Warehouse }): Promise<void> {
  const { warehouse } = options;

  app.get('/v1/admin/events', {
    schema: {
      summary: 'Filter stored events by type, source, user, session and received time', tags: ['admin'], security: adminSecurity,
      description: 'Without since/until/after_seq: the newest events first. With a time range (RFC 3339, on received time): '
        + 'oldest first from `since`; `next_after_seq` continues the listing (null when the range is exhausted).',
      querystring: {
        type: 'object',
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, after_seq: { type: 'integer', minimum: 0 },
          since: { type: 'string', format: 'date-time' }, until: { type: 'string', format: 'date-time' },
          ...stringProps(['type', 'source', 'user_id', 'session_id']),
        },
      },
    },
  }, async (request) => {
    const q = parseInput(eventsQuery, request.query);
    const filter: EventFilter = {
      ...(q.type !== undefined && { type: q.type }), ...(q.source !== undefined && { source: q.source }),
      ...(q.user_id !== undefined && { userId: q.user_id }), ...(q.session_id !== undefined && { sessionId: q.session_id }),
    };
    if (q.since === undefined && q.until === undefined && q.after_seq === undefined) {
      const events = await warehouse.listEvents({ ...filter, limit: q.limit, order: 'desc' });
      return { order: 'desc', events: events.map(toApiEvent), next_after_seq: null };
    }
    const log = eventsBySeq(warehouse, filter);
    const afterSeq = q.after_seq ?? (q.since === undefined ? 0 : await seqAtTime(log, q.since));
    const page = await scanWindow(log, {
      afterSeq, limit: q.limit, budget: SCAN_BUDGET,
      ...(q.since !== undefined && { since: q.since }), ...(q.until !== undefined && { until: q.until }),
    });
    return { order: 'asc', events: page.rows.map(toApiEvent), next_after_seq: page.nextAfterSeq };
  });

  app.get<{ Params: { id: string } }>('/v1/admin/sessions/:id', {
    schema: {
      summary: 'A session as a timeline: its events, and the feedback and outcomes about its generations', tags: ['admin'], security: adminSecurity,
      description: 'Events carrying the session id, plus signals of the same users that target one of its generations '
        + '(signals need not carry a session id). Ordered by corrected timestamp; at most 1000 events.',
      params: { type: 'object', properties: { id: { type: 'string' } } },
    },
  }, async (request) => {
    const sessionId = request.params.id;
    const own = await warehouse.listEvents({ sessionId, limit: SESSION_LIMIT, order: 'asc' });
    const generationIds = new Set(own.filter((e) => e.type === 'generation').map((e) => String(e.payload.generation_id)));
    const seen = new Set(own.map((e) => e.eventId));
    const users = [...new Set(own.map((e) => e.userId).filter((u): u is string => u !== null))].slice(0, 10);
    const related: StoredEvent[] = [];
    for (const userId of users) {
      for (const type of ['feedback', 'outcome']) {
        for (const e of await warehouse.listEvents({ userId, type, limit: SESSION_LIMIT, order: 'desc' })) {
          const target = (e.payload.target ?? {}) as { generation_id?: unknown; session_id?: unknown };
          if (seen.has(e.eventId)) continue;
          if (generationIds.has(String(target.generation_id)) || target.session_id === sessionId) {
            seen.add(e.eventId);
            related.push(e);
          }
        }
      }
    }
    const events = [...own, ...related].sort((a, b) => a.timestamp - b.timestamp || a.ingestSeq - b.ingestSeq);
    return { session_id: sessionId, events: events.map(toApiEvent), truncated: own.length === SESSION_LIMIT };
  });
}
