import { createRedactor, defaultPiiPolicy } from '@sluice/curate';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateTraffic, valueAt, type DemoRecord, type PlantedValue } from '../src/index.ts';

const events = 8000;
const planted: PlantedValue[] = [];
const traffic = generateTraffic({ events, seed: 99, onPlanted: (p) => planted.push(p) });
const records: DemoRecord[] = [...traffic.records];
const byId = new Map(records.map((r) => [r.event.event_id as string, r]));

test('every planted value is in the event the registry names, at the pointer it names, under the same source', () => {
  assert.ok(planted.length > 400, `${planted.length} planted`);
  for (const p of planted) {
    const record = byId.get(p.eventId);
    assert.ok(record, `event ${p.eventId} was sent`);
    assert.equal(record.source, p.source);
    const text = valueAt(record.event, p.pointer);
    assert.equal(typeof text, 'string', `${p.pointer} in ${p.eventId}`);
    assert.ok((text as string).includes(p.value), `${p.type} ${p.subtype} at ${p.pointer}`);
  }
});

test('the registry counts match the generator stats, and values sit where users put them', () => {
  const counts: Record<string, number> = {};
  for (const p of planted) counts[p.type] = (counts[p.type] ?? 0) + 1;
  assert.deepEqual(counts, traffic.stats.planted);
  const where = (p: PlantedValue) => `${p.source}:${p.type}`;
  const kinds = new Set(planted.map(where));
  for (const expected of ['support-web:EMAIL', 'support-web:PHONE', 'coding-ide:SECRET', 'coding-ide:URL_CREDENTIALS']) assert.ok(kinds.has(expected), expected);
  assert.ok(!kinds.has('coding-ide:PHONE'), 'no phone numbers in code: the coding ruleset turns the PHONE detector off');
  const pointers = new Set(planted.map((p) => p.pointer.replace(/\d+/g, 'N')));
  assert.ok(pointers.has('/input/N/content'), 'in what users type');
  assert.ok(pointers.has('/comment'), 'in feedback comments');
  const emails = new Set(planted.filter((p) => p.type === 'EMAIL').map((p) => p.value));
  const travelled = records.filter((r) => r.event.type === 'generation').flatMap((r) => (r.event.output as Array<{ tool_calls?: Array<{ function: { arguments: string } }> }>))
    .flatMap((m) => m.tool_calls ?? []).filter((call) => [...emails].some((e) => call.function.arguments.includes(e)));
  assert.ok(travelled.length > 10, 'and travel on into tool-call arguments');
});

/**
 * Completeness both ways, with the redactor's default policy (every detector on): it finds
 * nothing in the traffic that the registry does not know about — so a canary over registered
 * values covers everything — and it finds every registered value somewhere, because the demo
 * plants only shapes the redactor is meant to catch (recall on hard shapes is measured by the
 * planted-PII corpus in services/curate, docs/pii-quality.md).
 */
test('the redactor finds exactly the registered values in the sent traffic: nothing unknown, nothing missed', () => {
  const redactor = createRedactor(defaultPiiPolicy(), { pseudonymKey: 'registry-test-key-0123456789' });
  const values = [...new Set(planted.map((p) => p.value))];
  const found = new Set<string>();
  const unknown: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const span of redactor.redactText(value).spans) {
        const text = value.slice(span.start, span.end);
        const matches = values.filter((v) => v.includes(text) || text.includes(v));
        if (matches.length === 0) unknown.push(`${span.type}: ${text}`);
        for (const m of matches) found.add(m);
      }
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
  };
  for (const r of records) visit(r.event);
  assert.deepEqual([...new Set(unknown)].slice(0, 20), [], 'found but not registered');
  assert.deepEqual(values.filter((v) => !found.has(v)).slice(0, 20), [], 'registered but never found');
});
