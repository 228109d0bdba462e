import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CurationStore, IngestedEvent, Sample, Warehouse } from '@sluice/core';
import { makeIngestedEvent } from '@sluice/core/testing';
import { loadRuleset } from '../src/ruleset/load.ts';
import { runCuration } from '../src/runner.ts';

const T0 = Date.UTC(2026, 10, 29, 9, 0, 0);
const KEY = 'integration-test-pseudonym-key-01';
const PLANTED = ['maria.rossi@example.it', '+39 06 6988 3421', 'sk-proj-Q1w2E3r4T5y6U7i8O9p0aSdFgHjKlZxCvBnM'];

function event(type: string, user: string | null, payload: Record<string, unknown>, at: number, extra: Partial<IngestedEvent> = {}): IngestedEvent {
  const eventId = randomUUID();
  return makeIngestedEvent({
    eventId, type, userId: user, sessionId: `sess-${user}`, occurredAt: at, timestamp: at, receivedAt: at, sentAt: null,
    source: 'support-web', payload: { event_id: eventId, type, ...payload }, ...extra,
  });
}
const consent = (user: string, granted: boolean, at = T0 - 1000) => event('consent', user, { scope: 'training', granted }, at);
const generation = (user: string, id: string, question: string, answer: string, at = T0) =>
  event('generation', user, { generation_id: id, model: 'llama-3.1-8b', input: [{ role: 'user', content: question }], output: [{ role: 'assistant', content: answer }] }, at);
const outcome = (user: string, id: string, kind: string, extra: Record<string, unknown> = {}) =>
  event('outcome', user, { target: { generation_id: id }, kind, ...extra }, T0 + 1000);

/**
 * One curation run end to end on a real warehouse: the same cases run on DuckDB and on the
 * ClickHouse engine (chdb), since curation must work on either.
 */
export function describeCurationRun(name: string, openStore: (dir: string) => Promise<Warehouse & CurationStore>): void {
describe(`runCuration on ${name}`, () => {
  let dir: string;
  let store: Warehouse & CurationStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-curate-'));
    store = await openStore(dir);
    const question = 'My order ORD-1234567 has not arrived, it was supposed to come last Tuesday. Can you check?';
    await store.append({
      events: [
        consent('ana', true), consent('ben', true), consent('cy', true), consent('cy', false, T0 - 10), consent('dee', true),
        generation('ana', 'g1', `${question} Reach me at ${PLANTED[0]} or ${PLANTED[1]}.`, 'I checked: it ships tomorrow.'),
        outcome('ana', 'g1', 'accepted'),
        generation('ben', 'g2', question, 'I checked: it ships tomorrow.'), // exact duplicate of ana's (after redaction: not quite)
        generation('ben', 'g3', 'How do I rotate my API key? I pasted it here: ' + PLANTED[2], 'Go to settings and click rotate.'),
        outcome('ben', 'g3', 'edited', { final_text: 'Go to Settings → API keys and click Rotate.' }),
        generation('cy', 'g4', 'Cancel my subscription please, I am moving abroad next month.', 'Done, it is cancelled.'),
        generation('dee', 'g5', 'What is your refund policy for damaged items received by mail?', 'Full refund within 30 days.'),
        event('erasure_request', 'dee', {}, T0 + 5000),
        generation('eve', 'g6', 'Do you ship to Canada and how long does delivery take usually?', 'Yes, 5 to 7 days.'),
        generation('ana', 'g7', question, 'I checked: it ships tomorrow.'),
      ],
      quarantine: [],
    });
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ruleset = loadRuleset([
    'name: it-support',
    'consent: { mode: require_grant }',
    'pii: { actions: { EMAIL: pseudonymize } }',
    'dedup: { mode: near, scope: prompt_response }',
    'split: { eval_fraction: 0.5 }',
  ].join('\n'));

  test('a dry run reports the funnel and writes nothing', async () => {
    const report = await runCuration(ruleset, { store, pseudonymKey: KEY }, { dryRun: true, examples: 2 });
    assert.equal(report.runId, null);
    assert.equal(report.erasures, 0);
    assert.deepEqual(await store.listCurationRuns(), []);
    assert.deepEqual(await store.listErasures(), []);
    assert.ok(report.examples.length > 0);
  });

  const samples: Sample[] = [];
  test('a run honours erasure and consent, redacts, labels, dedups, splits and stores a complete run', async () => {
    const report = await runCuration(ruleset, { store, pseudonymKey: KEY });
    assert.ok(report.runId);
    assert.equal(report.erasures, 1, "dee's erasure request was carried out");
    const run = await store.getCurationRun(report.runId);
    assert.equal(run?.status, 'complete');
    assert.equal(run?.rulesetHash, ruleset.hash);
    for await (const chunk of store.scanSamples({ runId: report.runId })) samples.push(...chunk);

    const funnel = report.funnel as { dropped: Record<string, number>; pii: Record<string, number> };
    assert.equal(funnel.dropped['consent:consent_revoked'], 1, 'cy revoked');
    assert.equal(funnel.dropped['consent:consent_missing'], 1, 'eve never consented');
    assert.equal(funnel.dropped['dedup:exact'], 1, "ana's repeated question");
    const generations = samples.map((s) => s.generationId).sort();
    assert.deepEqual(generations, ['g1', 'g2', 'g3'], `kept ${generations.join(',')}`);

    const text = JSON.stringify(samples);
    for (const planted of PLANTED) assert.ok(!text.includes(planted), `${planted} leaked into a sample`);
    assert.ok(!text.includes('"ana"') && !text.includes('user:ana'), 'raw user ids do not leave the warehouse');
    assert.ok(funnel.pii.EMAIL && funnel.pii.PHONE && funnel.pii.SECRET);

    const g1 = samples.find((s) => s.generationId === 'g1')!;
    assert.equal(g1.labels.reward, 1);
    assert.equal(g1.labels.kto, true);
    assert.match(g1.prompt[0]!.content!, /<EMAIL_[0-9a-f]{8}>/);
    const g3 = samples.find((s) => s.generationId === 'g3')!;
    assert.equal(g3.labels.preference?.chosen[0]?.content, 'Go to Settings → API keys and click Rotate.');
    assert.equal(g3.labels.preference?.rejected[0]?.content, 'Go to settings and click rotate.');
    assert.equal(g3.lineage.length, 2);
    assert.ok(samples.every((s) => s.split === 'train' || s.split === 'eval'));

    // Erasure physically removed dee's raw events.
    const left = [];
    for await (const chunk of store.scanEvents({ upToSeq: await store.maxIngestSeq() })) left.push(...chunk.filter((e) => e.userId === 'dee'));
    assert.deepEqual(left.map((e) => e.type), ['erasure_request']);
  });

  test('the same events and ruleset give the same samples', async () => {
    const again = await runCuration(ruleset, { store, pseudonymKey: KEY });
    const second: Sample[] = [];
    for await (const chunk of store.scanSamples({ runId: again.runId! })) second.push(...chunk);
    assert.deepEqual(second, samples);
    assert.equal(again.erasures, 0, 'an erasure is carried out once');
  });

  test('a sample write that fails marks the run failed and reaches the caller', async () => {
    const failing = new Proxy(store, {
      get: (target, key) => (key === 'appendSamples' ? () => Promise.reject(new Error('disk full')) : Reflect.get(target, key)),
    });
    await assert.rejects(runCuration(ruleset, { store: failing, pseudonymKey: KEY }), /disk full/);
    const failed = await store.listCurationRuns({ status: 'failed' });
    assert.equal(failed.length, 1);
    assert.match(String(failed[0]!.stats.error), /disk full/);
  });
});
}
