import { createEventValidator } from '@sluice/schemas';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { generateTraffic, type DemoRecord, type PlantedValue } from '../src/index.ts';

function digest(options: Parameters<typeof generateTraffic>[0]): { hash: string; planted: PlantedValue[]; records: DemoRecord[] } {
  const planted: PlantedValue[] = [];
  const traffic = generateTraffic({ ...options, onPlanted: (p) => planted.push(p) });
  const hash = createHash('sha256');
  const records = [...traffic.records];
  for (const r of records) hash.update(`${JSON.stringify(r)}\n`);
  return { hash: hash.digest('hex'), planted, records };
}

test('the same seed gives the same events and the same planted registry, byte for byte; another seed does not', () => {
  const a = digest({ events: 4000, seed: 2026 });
  const b = digest({ events: 4000, seed: 2026 });
  const c = digest({ events: 4000, seed: 2027 });
  assert.equal(a.hash, b.hash);
  assert.deepEqual(a.planted, b.planted);
  assert.notEqual(a.hash, c.hash);
  assert.equal(digest({ events: 4000, seed: 'demo-seed' }).hash, digest({ events: 4000, seed: 'demo-seed' }).hash, 'text seeds are stable too');
});

test('a run has exactly the number of events asked for; nonsense options are refused up front', () => {
  for (const events of [0, 1, 100, 2345]) assert.equal([...generateTraffic({ events, seed: 1 }).records].length, events);
  assert.throws(() => generateTraffic({ events: -1 }), { code: 'SLUICE_ERR_INPUT_INVALID' });
  assert.throws(() => generateTraffic({ events: 10, invalidRate: 2 }), { code: 'SLUICE_ERR_INPUT_INVALID' });
  assert.throws(() => generateTraffic({ events: 10, start: 'yesterday' }), { code: 'SLUICE_ERR_INPUT_INVALID' });
});

test('every event but the deliberately invalid ones satisfies the contract; every invalid one is rejected', () => {
  const validate = createEventValidator();
  const { records } = digest({ events: 12_000, seed: 7 });
  const invalid = records.filter((r) => r.invalid);
  for (const r of records) {
    const result = validate(r.event);
    if (r.invalid) assert.equal(result.ok, false, `${r.invalid} should be rejected: ${JSON.stringify(r.event).slice(0, 200)}`);
    else assert.ok(result.ok, `${JSON.stringify(result)} for ${JSON.stringify(r.event).slice(0, 300)}`);
  }
  const rate = invalid.length / records.length;
  assert.ok(rate > 0.005 && rate < 0.02, `invalid share ${rate}`);
  assert.ok(new Set(invalid.map((r) => r.invalid)).size >= 5, 'several kinds of breakage');
});

test('the traffic has what curation needs: both products, every signal kind, consent states, erasures, duplicates, retries', () => {
  const traffic = generateTraffic({ events: 20_000, seed: 11 });
  const outcomes = new Set<string>();
  const feedback = new Set<string>();
  let toolCalls = 0;
  let finalTexts = 0;
  const ids = new Set<string>();
  let resentSeen = 0;
  let erasures = 0;
  let trainingConsents = 0;
  for (const { event, resend, invalid } of traffic.records) {
    if (!invalid && !resend && event.type === 'erasure_request') erasures++;
    if (!invalid && !resend && event.type === 'consent' && event.scope === 'training') trainingConsents++;
    if (resend) {
      assert.ok(ids.has(event.event_id as string), 'a retry repeats an event already sent');
      resentSeen++;
    }
    ids.add(event.event_id as string);
    if (event.type === 'outcome') outcomes.add(event.kind as string);
    if (event.type === 'outcome' && event.kind === 'edited') finalTexts += typeof event.final_text === 'string' ? 1 : 0;
    if (event.type === 'feedback') feedback.add(event.kind as string);
    if (event.type === 'generation' && JSON.stringify(event.output).includes('tool_calls')) toolCalls++;
  }
  const s = traffic.stats;
  for (const kind of ['resolved', 'escalated', 'abandoned', 'accepted', 'rejected', 'edited', 'regenerated', 'copied', 'task_success', 'task_failure']) assert.ok(outcomes.has(kind), kind);
  for (const kind of ['thumbs', 'correction', 'rating', 'comment']) assert.ok(feedback.has(kind), kind);
  assert.ok(toolCalls > 100 && finalTexts > 100);
  assert.ok(s.bySource['support-web'] > 0.35 * s.events && s.bySource['coding-ide'] > 0.35 * s.events, JSON.stringify(s.bySource));
  assert.ok(s.consent.granted > 0 && s.consent.revoked > 0 && s.consent.declined > 0);
  assert.ok(s.erasureRequests > 0 && s.erasureRequests < 30, `a few erasure requests: ${s.erasureRequests}`);
  assert.equal(s.erasureRequests, erasures, 'stats count what was produced');
  assert.equal(s.consent.granted + s.consent.revoked + s.consent.declined, trainingConsents);
  const prompts = s.duplicatePrompts.exact + s.duplicatePrompts.near;
  assert.ok(prompts > 100 && prompts < 0.1 * s.byType.generation!, `duplicate prompts ${prompts}`);
  assert.equal(resentSeen, s.resends);
  assert.ok(s.resends > 10);
  for (const type of ['EMAIL', 'PHONE', 'SECRET', 'URL_CREDENTIALS', 'CREDIT_CARD', 'IBAN']) assert.ok((s.planted[type] ?? 0) > 0, type);
});

test('simulated time moves forward over the span and stays in the past of the default start + span', () => {
  const times = [...generateTraffic({ events: 5000, seed: 3, spanDays: 7 }).records]
    .filter((r) => !r.invalid).map((r) => Date.parse(r.event.occurred_at as string));
  const first = Math.min(...times);
  const last = Math.max(...times);
  assert.ok(first >= Date.parse('2026-10-01T08:00:00Z'));
  assert.ok(last - first > 6 * 86_400_000 && last - first < 9 * 86_400_000, `span ${(last - first) / 86_400_000} days`);
});
