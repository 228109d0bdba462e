import { SluiceError, isSluiceError, type StoredRuleset, type Warehouse } from '@sluice/core';
import { loadRuleset, type LoadedRuleset, type RulesetIssue } from '@sluice/curate';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { dryRun } from '../lib/dry-run.ts';
import { adminSecurity, iso, parseInput } from '../lib/http.ts';
import { curationStoreOf, type CurationWarehouse } from '../lib/recent-generations.ts';

const source = z.string().min(1, 'the ruleset text is empty').max(1_000_000);
const sourceBody = z.strictObject({ source });
const dryRunBody = z.strictObject({
  source,
  limit: z.number().int().min(1).max(2000).default(200),
  examples: z.number().int().min(0).max(50).default(10),
});
const versionQuery = z.strictObject({ hash: z.string().regex(/^[0-9a-f]{64}$/).optional() });

const bodySchema = (extra: Record<string, unknown> = {}) => ({
  type: 'object', required: ['source'], properties: { source: { type: 'string', description: 'The ruleset, YAML or JSON' }, ...extra },
});

function describe(stored: StoredRuleset): string | null {
  try {
    const description = (JSON.parse(stored.content) as { description?: unknown }).description;
    return typeof description === 'string' ? description : null;
  } catch {
    return null;
  }
}

/** loadRuleset's verdict as a value: the loaded ruleset, or the issues with their lines. */
function validate(text: string): { loaded: LoadedRuleset; issues: null } | { loaded: null; issues: RulesetIssue[] } {
  try {
    return { loaded: loadRuleset(text), issues: null };
  } catch (error) {
    if (isSluiceError(error) && error.code === 'SLUICE_ERR_RULESET_INVALID') {
      return { loaded: null, issues: (error.details?.issues ?? []) as RulesetIssue[] };
    }
    throw error;
  }
}

function nameLine(text: string): number | undefined {
  const index = text.split('\n').findIndex((line) => /^\s*"?name"?\s*:/.test(line));
  return index < 0 ? undefined : index + 1;
}

export async function rulesetRoutes(app: FastifyInstance, options: { warehouse: Warehouse; pseudonymKey?: string }): Promise<void> {
  const store = (): CurationWarehouse => {
    const found = curationStoreOf(options.warehouse);
    if (!found) throw new SluiceError('SLUICE_ERR_FEATURE_UNAVAILABLE', `the ${options.warehouse.kind} warehouse has no curation store (rulesets)`);
    return found;
  };
  const tags = ['admin', 'rulesets'];

  app.get('/v1/admin/rulesets', { schema: { summary: 'Rulesets with their versions (newest first) and curation runs', tags, security: adminSecurity } }, async () => {
    const [versions, runs] = await Promise.all([store().listRulesets(), store().listCurationRuns()]);
    const byName = new Map<string, StoredRuleset[]>();
    for (const v of versions) byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
    const rulesets = [...byName].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => {
      const ownRuns = runs.filter((r) => r.rulesetName === name);
      const last = ownRuns[0];
      return {
        name, description: describe(list[0]!),
        versions: list.map((v) => ({ hash: v.hash, created_at: iso(v.createdAt) })),
        runs: ownRuns.length,
        last_run: last ? { run_id: last.runId, status: last.status, ruleset_hash: last.rulesetHash, watermark: last.watermark, created_at: iso(last.createdAt) } : null,
      };
    });
    return { rulesets };
  });

  app.get<{ Params: { name: string } }>('/v1/admin/rulesets/:name', {
    schema: {
      summary: 'One ruleset version as written (the newest unless ?hash=)', tags, security: adminSecurity,
      params: { type: 'object', properties: { name: { type: 'string' } } },
      querystring: { type: 'object', properties: { hash: { type: 'string' } } },
    },
  }, async (request) => {
    const { hash } = parseInput(versionQuery, request.query);
    const versions = await store().listRulesets(request.params.name);
    const version = hash === undefined ? versions[0] : versions.find((v) => v.hash === hash);
    if (!version) throw new SluiceError('SLUICE_ERR_RULESET_NOT_FOUND', `no ruleset ${request.params.name}${hash ? `@${hash}` : ''}`);
    return {
      name: version.name, hash: version.hash, created_at: iso(version.createdAt), source_text: version.sourceText,
      versions: versions.map((v) => ({ hash: v.hash, created_at: iso(v.createdAt) })),
    };
  });

  app.post('/v1/admin/rulesets/validate', {
    schema: {
      summary: 'Validate a ruleset: every issue with its path and line', tags, security: adminSecurity, body: bodySchema(),
      description: 'Always 200: `valid`, and either the name and version hash or the issues.',
    },
  }, async (request) => {
    const { source: text } = parseInput(sourceBody, request.body);
    const result = validate(text);
    return result.loaded
      ? { valid: true, name: result.loaded.ruleset.name, hash: result.loaded.hash, issues: [] }
      : { valid: false, issues: result.issues };
  });

  app.put<{ Params: { name: string } }>('/v1/admin/rulesets/:name', {
    schema: {
      summary: 'Save a ruleset version (a no-op when this exact version exists)', tags, security: adminSecurity, body: bodySchema(),
      params: { type: 'object', properties: { name: { type: 'string' } } },
      description: '422 SLUICE_ERR_RULESET_INVALID with `issues` when invalid or when its `name` differs from the path.',
    },
  }, async (request, reply) => {
    const { source: text } = parseInput(sourceBody, request.body);
    const loaded = loadRuleset(text);
    const { name } = request.params;
    if (loaded.ruleset.name !== name) {
      const line = nameLine(text);
      const issue = { path: 'name', message: `the ruleset is named ${loaded.ruleset.name}, not ${name}`, ...(line === undefined ? {} : { line }) };
      throw new SluiceError('SLUICE_ERR_RULESET_INVALID', `invalid ruleset:\n  - name: ${issue.message}`, { details: { issues: [issue] } });
    }
    const exists = (await store().listRulesets(name)).some((v) => v.hash === loaded.hash);
    if (!exists) await store().saveRuleset(loaded.stored);
    return reply.status(exists ? 200 : 201).send({ name, hash: loaded.hash, created: !exists });
  });

  app.post('/v1/admin/rulesets/dry-run', {
    schema: {
      summary: 'Dry-run a ruleset on the newest N generations: funnel, labels, dedup clusters, before/after', tags, security: adminSecurity,
      body: bodySchema({ limit: { type: 'integer', minimum: 1, maximum: 2000, default: 200 }, examples: { type: 'integer', minimum: 0, maximum: 50, default: 10 } }),
      description: 'Nothing is written. After-texts are split into segments; a segment with `pii` is a redaction token of that type.',
    },
  }, async (request) => {
    const body = parseInput(dryRunBody, request.body);
    const loaded = loadRuleset(body.source);
    if (options.pseudonymKey === undefined) throw new SluiceError('SLUICE_ERR_FEATURE_UNAVAILABLE', 'no curation.pseudonymKey was given to the console');
    return dryRun(loaded, store(), options.pseudonymKey, { limit: body.limit, examples: body.examples });
  });
}
