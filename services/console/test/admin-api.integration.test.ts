import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeIngestedEvent } from '@sluice/core/testing';
import { carryOutErasureRequests } from '@sluice/curate';
import { PII_PROMPT, RULESET, auth, consoleConfig, createConsoleApp, seedSnapshot, seedWarehouse, type ConsoleTestApp } from './helpers.ts';

const HOUR = 3_600_000;

describe('console admin API (DuckDB, local blob store)', () => {
  let t: ConsoleTestApp;
  let now: number;
  let seeded: Awaited<ReturnType<typeof seedWarehouse>>;
  let snapshotId: string;
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: auth });
  const post = (url: string, payload: unknown, method: 'POST' | 'PUT' = 'POST') => t.app.inject({ method, url, headers: auth, payload: payload as object });

  before(async () => {
    t = await createConsoleApp();
    now = Date.now();
    seeded = await seedWarehouse(t, now);
    snapshotId = (await seedSnapshot(t)).manifest.id;
  });
  after(async () => { await t.close(); });

  test('every /v1/admin route needs the admin token; the console page itself holds no data and needs none', async () => {
    for (const url of ['/v1/admin/overview', '/v1/admin/events', '/v1/admin/sessions/x', '/v1/admin/quarantine', '/v1/admin/rulesets', '/v1/admin/datasets', `/v1/admin/snapshots/${snapshotId}`]) {
      for (const headers of [{}, { authorization: 'Bearer sk_console_test' }]) {
        const response = await t.app.inject({ method: 'GET', url, headers });
        assert.equal(response.statusCode, 401, url);
        assert.equal(response.json().error.code, 'SLUICE_ERR_ADMIN_UNAUTHORIZED');
      }
    }
    const page = await t.app.inject({ method: 'GET', url: '/console' });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    assert.match(page.headers['content-security-policy'] as string, /script-src 'self'/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/console/vendor/uPlot.esm.js' })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: '/console/js/app.js' })).headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal((await t.app.inject({ method: 'GET', url: '/console/../package.json' })).statusCode, 404);
    const etag = page.headers.etag as string;
    assert.equal((await t.app.inject({ method: 'GET', url: '/console/', headers: { 'if-none-match': etag } })).statusCode, 304);
  });

  test('overview: per-minute series by type and source over 24 h, outcome counts, top quarantine reasons', async () => {
    t.metrics.countEvents('duplicate', 'support-web', ['generation', 'generation']);
    const body = (await get('/v1/admin/overview')).json();
    assert.equal(body.minutes.length, 1440);
    assert.equal(body.accepted, 7, 'the event of two days ago is outside the window');
    assert.equal(body.rejected, 3);
    const sum = (series: number[]) => series.reduce((a, b) => a + b, 0);
    assert.equal(sum(body.by_type.generation), 4);
    assert.equal(sum(body.by_source['coding-ide']), 1);
    assert.deepEqual(body.top_reasons[0], { code: 'SLUICE_ERR_EVENT_INVALID', pointer: '/model', message: "must have required property 'model'", count: 2 });
    assert.equal(body.since_start.duplicate, 2);
    assert.equal(body.complete, true);
    assert.equal(body.ingest_lag, null, 'no lander in this process');
    // Incremental: a later event is counted by the next call without re-reading the window.
    await t.warehouse.append({ events: [{ ...seeded.events[1]!, eventId: crypto.randomUUID(), receivedAt: Date.now() }], quarantine: [] });
    assert.equal((await get('/v1/admin/overview')).json().accepted, 8);
  });

  test('overview: in Kafka mode, the lander\'s consumer lag from the same registry', async () => {
    // The lander's gauge, as createLanderMetrics registers it on the ingest registry (server.ts).
    const values = [{ labels: { topic: 'sluice.events.v1', partition: 0 }, value: 5 }, { labels: { topic: 'sluice.events.v1', partition: 1 }, value: 7 }];
    const gauge = { name: 'sluice_lander_consumer_lag', help: 'lag', type: 'gauge', aggregator: 'sum', get: async () => ({ values }), reset() {} };
    t.metrics.registry.registerMetric(gauge as never);
    try {
      const lag = (await get('/v1/admin/overview')).json().ingest_lag;
      assert.deepEqual(lag, { messages: 12, partitions: { 'sluice.events.v1:0': 5, 'sluice.events.v1:1': 7 } });
    } finally {
      t.metrics.registry.removeSingleMetric('sluice_lander_consumer_lag');
    }
  });

  test('events: newest first by default; filters; a received-time range pages oldest first', async () => {
    const newest = (await get('/v1/admin/events?limit=2')).json();
    assert.equal(newest.order, 'desc');
    assert.equal(newest.events.length, 2);
    assert.ok(newest.events[0].ingest_seq > newest.events[1].ingest_seq);
    const generations = (await get('/v1/admin/events?type=generation&source=support-web')).json().events;
    assert.equal(generations.length, 4);
    assert.ok(generations.every((e: { type: string; source: string }) => e.type === 'generation' && e.source === 'support-web'));

    const since = new Date(now - HOUR).toISOString();
    const until = new Date(now - 25 * 60_000).toISOString();
    const first = (await get(`/v1/admin/events?since=${since}&until=${until}&limit=2`)).json();
    assert.equal(first.order, 'asc');
    assert.deepEqual(first.events.map((e: { type: string }) => e.type), ['consent', 'generation']);
    assert.ok(first.next_after_seq !== null);
    const rest = (await get(`/v1/admin/events?since=${since}&until=${until}&limit=10&after_seq=${first.next_after_seq}`)).json();
    assert.deepEqual(rest.events.map((e: { type: string }) => e.type), ['feedback', 'outcome', 'generation']);
    assert.equal(rest.next_after_seq, null);
    const bad = await get('/v1/admin/events?since=yesterday');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'SLUICE_ERR_QUERY_INVALID');
  });

  test('session timeline: the session\'s events plus signals that target its generations without a session id', async () => {
    const body = (await get('/v1/admin/sessions/sess-a')).json();
    assert.deepEqual(body.events.map((e: { type: string }) => e.type), ['generation', 'feedback', 'outcome']);
    assert.equal(body.events[2].session_id, null);
    assert.equal(body.events[0].event.input[1].content, PII_PROMPT);
  });

  test('quarantine: the last 24 h by default, filtered by code', async () => {
    const all = (await get('/v1/admin/quarantine')).json();
    assert.equal(all.quarantine.length, 3);
    const byCode = (await get('/v1/admin/quarantine?code=SLUICE_ERR_EVENT_TYPE_UNKNOWN')).json();
    assert.deepEqual(byCode.quarantine.map((q: { pointer: string }) => q.pointer), ['/type']);
    const week = (await get(`/v1/admin/quarantine?since=${new Date(now - 7 * 24 * HOUR).toISOString()}`)).json();
    assert.equal(week.quarantine.length, 4);
  });

  test('rulesets: validate with line numbers, save versions, list and read them', async () => {
    const invalid = (await post('/v1/admin/rulesets/validate', { source: RULESET.replace('default_action: mask', 'default_action: maskk') })).json();
    assert.equal(invalid.valid, false);
    assert.deepEqual(invalid.issues.map((i: { path: string; line: number }) => [i.path, i.line]), [['pii.default_action', 8]]);
    const syntax = (await post('/v1/admin/rulesets/validate', { source: 'name: x\npii: [\n' })).json();
    assert.equal(syntax.valid, false);
    assert.ok(syntax.issues[0].line >= 2);

    const edited = RULESET.replace('eval_fraction: 0.5', 'eval_fraction: 0.25');
    const valid = (await post('/v1/admin/rulesets/validate', { source: edited })).json();
    assert.equal(valid.valid, true);
    const saved = await post('/v1/admin/rulesets/support-test', { source: edited }, 'PUT');
    assert.equal(saved.statusCode, 201);
    assert.deepEqual(saved.json(), { name: 'support-test', hash: valid.hash, created: true });
    const again = await post('/v1/admin/rulesets/support-test', { source: edited }, 'PUT');
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().created, false);

    const renamed = await post('/v1/admin/rulesets/other-name', { source: edited }, 'PUT');
    assert.equal(renamed.statusCode, 422);
    assert.deepEqual(renamed.json().error.issues[0], { path: 'name', message: 'the ruleset is named support-test, not other-name', line: 1 });
    const broken = await post('/v1/admin/rulesets/support-test', { source: 'name: support-test\nsplit: { by: planet }\n' }, 'PUT');
    assert.equal(broken.statusCode, 422);
    assert.equal(broken.json().error.issues[0].line, 2);

    const list = (await get('/v1/admin/rulesets')).json().rulesets;
    assert.equal(list.length, 1);
    assert.equal(list[0].versions.length, 2);
    assert.equal(list[0].versions[0].hash, valid.hash, 'newest first');
    assert.equal(list[0].last_run.status, 'complete');
    const newest = (await get('/v1/admin/rulesets/support-test')).json();
    assert.equal(newest.source_text, edited);
    const older = (await get(`/v1/admin/rulesets/support-test?hash=${list[0].versions[1].hash}`)).json();
    assert.equal(older.source_text, RULESET);
    const missing = await get('/v1/admin/rulesets/nope');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'SLUICE_ERR_RULESET_NOT_FOUND');
  });

  test('dry-run: funnel, labels, dedup clusters that account for every dedup drop, redactions marked by type', async () => {
    const response = await post('/v1/admin/rulesets/dry-run', { source: RULESET, limit: 50, examples: 3 });
    assert.equal(response.statusCode, 200);
    const report = response.json();
    assert.equal(report.funnel.stages[0].stage, 'generations_scanned');
    assert.equal(report.funnel.stages[0].count, 5);
    assert.equal(report.dedup.removed, report.funnel.dropped['dedup:exact']);
    assert.equal(report.dedup.clusters.length, 1);
    assert.equal(report.dedup.clusters[0].removed.length, 1);
    assert.equal(report.labels.reward_positive, 1);
    assert.deepEqual(report.pii, { EMAIL: 1, ORDER_ID: 2, PHONE: 2 });
    assert.equal(report.examples.length, 3);
    const [first] = report.examples;
    assert.deepEqual(first.pii, { EMAIL: 1, ORDER_ID: 2, PHONE: 2 }, 'samples with redactions come first');
    const user = first.after.find((m: { role: string }) => m.role === 'user');
    const marks = user.segments.filter((s: { pii?: string }) => s.pii);
    assert.deepEqual(marks.map((s: { pii: string }) => s.pii), ['EMAIL', 'ORDER_ID', 'PHONE']);
    assert.match(marks[0].text, /^<EMAIL_[0-9a-f]{8}>$/);
    const afterText = user.segments.map((s: { text: string }) => s.text).join('');
    assert.ok(!afterText.includes('jane.doe@example.com') && afterText.startsWith('Hi, I am <EMAIL_'));
    assert.equal(first.before.find((m: { role: string }) => m.role === 'user').text, PII_PROMPT);

    const recent = (await post('/v1/admin/rulesets/dry-run', { source: RULESET, limit: 2 })).json();
    assert.equal(recent.funnel.stages[0].count, 2);
    assert.ok(recent.examples.every((e: { before: Array<{ text: string }> }) => !e.before.some((m) => m.text.includes('Norway'))), 'the newest generations, not the oldest');
    const invalid = await post('/v1/admin/rulesets/dry-run', { source: 'name: x\nfilters: { min_chars: -1 }\n' });
    assert.equal(invalid.statusCode, 422);
  });

  test('snapshots: datasets with every snapshot; one snapshot with files, hashes, the pull command and a load_dataset snippet', async () => {
    const { datasets } = (await get('/v1/admin/datasets')).json();
    assert.equal(datasets.length, 1);
    assert.equal(datasets[0].name, 'support-bot');
    assert.equal(datasets[0].snapshots[0].id, snapshotId);
    assert.equal(datasets[0].snapshots[0].status, 'ready');
    const body = (await get(`/v1/admin/snapshots/${snapshotId}`)).json();
    assert.deepEqual(body.snapshot.tags, ['latest']);
    const sft = body.manifest.files.find((f: { path: string }) => f.path.startsWith('data/sft/train-'));
    assert.match(sft.sha256, /^[0-9a-f]{64}$/);
    assert.ok(sft.bytes > 0);
    assert.equal(body.pull_command, `SLUICE_READ_TOKEN=<read token> sluice pull support-bot@${snapshotId} --to ./support-bot --url http://localhost:80`);
    assert.match(body.load_dataset, /sft = load_dataset\("\.\/support-bot", "sft"\)/);
    assert.match(body.load_dataset, /# openai_chat \(JSON Lines for OpenAI\): .*\.\/support-bot\/data\/openai_chat\/train-00000-of-00001\.jsonl/);
    assert.equal((await get('/v1/admin/snapshots/snap-000000000000000000000000')).statusCode, 404);
    assert.equal((await get('/v1/admin/snapshots/latest')).statusCode, 404);
  });

  test('snapshots: a user erased after publishing marks the snapshot in the listing and on its page', async () => {
    assert.equal((await get('/v1/admin/datasets')).json().datasets[0].snapshots[0].contains_erased_users, false);
    assert.deepEqual((await get(`/v1/admin/snapshots/${snapshotId}`)).json().erased_users, []);

    // cus_1 granted consent, so the snapshot holds their sample.
    await t.warehouse.append({ events: [makeIngestedEvent({ tenant: 'acme', source: 'support-web', userId: 'cus_1', type: 'erasure_request' })], quarantine: [] });
    const erased = await carryOutErasureRequests(t.warehouse, { pseudonymKey: consoleConfig().curation.pseudonymKey, now: () => Date.UTC(2026, 11, 1) });
    assert.deepEqual(erased.map((e) => e.userId), ['cus_1']);

    assert.equal((await get('/v1/admin/datasets')).json().datasets[0].snapshots[0].contains_erased_users, true);
    const page = (await get(`/v1/admin/snapshots/${snapshotId}`)).json();
    assert.equal(page.erased_users.length, 1);
    assert.equal(page.erased_users[0].erased_at, '2026-12-01T00:00:00.000Z');
  });
});

describe('console admin API without a blob store', () => {
  let t: ConsoleTestApp;
  before(async () => { t = await createConsoleApp({ withBlobStore: false }); });
  after(async () => { await t.close(); });

  test('snapshot endpoints answer SLUICE_ERR_FEATURE_UNAVAILABLE; the rest works', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/admin/datasets', headers: auth });
    assert.equal(response.statusCode, 501);
    assert.equal(response.json().error.code, 'SLUICE_ERR_FEATURE_UNAVAILABLE');
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/admin/rulesets', headers: auth })).statusCode, 200);
  });

  // Checked here, without a blob store: with one, /openapi.json currently fails on the snapshot
  // routes' `readToken` security scheme, which services/ingest/src/plugins/openapi.ts does not declare.
  test('the admin endpoints are documented in /openapi.json, behind the admin token; the console files are not', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { security?: unknown }>> };
    for (const path of ['/v1/admin/overview', '/v1/admin/events', '/v1/admin/sessions/{id}', '/v1/admin/quarantine', '/v1/admin/rulesets',
      '/v1/admin/rulesets/{name}', '/v1/admin/rulesets/validate', '/v1/admin/rulesets/dry-run', '/v1/admin/datasets', '/v1/admin/snapshots/{id}']) {
      assert.ok(doc.paths[path], `${path} documented`);
      for (const operation of Object.values(doc.paths[path]!)) assert.deepEqual(operation.security, [{ adminToken: [] }]);
    }
    assert.ok(doc.paths['/v1/admin/rulesets/{name}']!.put);
    assert.ok(!Object.keys(doc.paths).some((p) => p.startsWith('/console')));
  });
});
