import type { Warehouse } from '@sluice/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toApiQuarantine } from '../lib/api-event.ts';
import { adminSecurity, parseInput } from '../lib/http.ts';
import { quarantineBySeq } from '../lib/seq-logs.ts';
import { scanWindow, seqAtTime } from '../lib/seq-window.ts';

const time = z.iso.datetime({ offset: true }).transform((t) => Date.parse(t));
const quarantineQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after_seq: z.coerce.number().int().min(0).optional(),
  since: time.optional(), until: time.optional(),
  source: z.string().min(1).optional(),
  code: z.string().min(1).optional(),
});
const SCAN_BUDGET = 20_000;
const DAY = 86_400_000;

export async function quarantineRoutes(app: FastifyInstance, options: { warehouse: Warehouse; now?: () => number }): Promise<void> {
  const now = options.now ?? Date.now;
  app.get('/v1/admin/quarantine', {
    schema: {
      summary: 'Rejected events by received time, with their error code, pointer and message', tags: ['admin'], security: adminSecurity,
      description: 'Oldest first within [since, until] (RFC 3339; since defaults to 24 hours ago); `next_after_seq` continues the listing.',
      querystring: {
        type: 'object',
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, after_seq: { type: 'integer', minimum: 0 },
          since: { type: 'string', format: 'date-time' }, until: { type: 'string', format: 'date-time' },
          source: { type: 'string' }, code: { type: 'string' },
        },
      },
    },
  }, async (request) => {
    const q = parseInput(quarantineQuery, request.query);
    const since = q.since ?? now() - DAY;
    const log = quarantineBySeq(options.warehouse, q.source === undefined ? {} : { source: q.source });
    const page = await scanWindow(log, {
      afterSeq: q.after_seq ?? await seqAtTime(log, since), since, limit: q.limit, budget: SCAN_BUDGET,
      ...(q.until !== undefined && { until: q.until }),
      // The port filters by source only; the code is matched while scanning.
      ...(q.code !== undefined && { match: (row: { code: string }) => row.code === q.code }),
    });
    return { quarantine: page.rows.map(toApiQuarantine), next_after_seq: page.nextAfterSeq };
  });
}
