import { SluiceError, formatZodIssues } from '@sluice/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';

/** Parses a query string or body with zod; problems become SLUICE_ERR_QUERY_INVALID with `issues`. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    throw new SluiceError('SLUICE_ERR_QUERY_INVALID', `invalid request:\n${formatZodIssues(result.error)}`,
      { details: { issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } });
  }
  return result.data;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Every route of `app` (an encapsulated context) requires `Authorization: Bearer <admin token>`,
 * compared in constant time on digests.
 */
export function requireAdminToken(app: FastifyInstance, adminToken: string): void {
  const expected = digest(adminToken);
  app.addHook('onRequest', async (request) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) throw new SluiceError('SLUICE_ERR_ADMIN_UNAUTHORIZED');
  });
}

export const adminSecurity = [{ adminToken: [] }];

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
