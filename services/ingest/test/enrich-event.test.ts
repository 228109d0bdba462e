import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEnrichEventStep } from '../src/steps/enrich-event.ts';

const enrich = createEnrichEventStep({ maxFutureSkewMs: 60_000 });
const receivedAt = Date.parse('2026-11-29T12:00:00.000Z');
const context = { tenant: 'acme', source: 'web', receivedAt, batchSentAt: null, clientIp: null };
const base = { event_id: '0190F5A2-7C3E-7B1A-9D2E-3F4A5B6C7D8E', type: 'track', name: 'x', user_id: 'u1' };

test('with sent_at, timestamp = received_at − (sent_at − occurred_at): a device clock 1 h fast is corrected', () => {
  const event = { ...base, occurred_at: '2026-11-29T13:00:00.000Z', sent_at: '2026-11-29T13:00:05.000Z' };
  const row = enrich(event, 'track', context);
  assert.equal(row.timestamp, receivedAt - 5000);
  assert.equal(row.occurredAt, Date.parse(event.occurred_at));
  assert.equal(row.sentAt, Date.parse(event.sent_at));
});

test('the batch-level sent_at applies when the event has none', () => {
  const row = enrich({ ...base, occurred_at: '2026-11-29T11:00:00.000Z' }, 'track', { ...context, batchSentAt: Date.parse('2026-11-29T11:00:02.000Z') });
  assert.equal(row.timestamp, receivedAt - 2000);
});

test('without sent_at the event time is occurred_at, clamped to received_at when far in the future', () => {
  assert.equal(enrich({ ...base, occurred_at: '2026-11-29T11:59:00.000Z' }, 'track', context).timestamp, receivedAt - 60_000);
  assert.equal(enrich({ ...base, occurred_at: '2026-11-29T12:00:30.000Z' }, 'track', context).timestamp, receivedAt + 30_000);
  assert.equal(enrich({ ...base, occurred_at: '2027-01-01T00:00:00.000Z' }, 'track', context).timestamp, receivedAt);
});

test('an occurred_at after sent_at (nonsense) is clamped rather than trusted', () => {
  const row = enrich({ ...base, occurred_at: '2026-11-29T14:00:00.000Z', sent_at: '2026-11-29T12:00:00.000Z' }, 'track', context);
  assert.equal(row.timestamp, receivedAt);
});

test('identity fields are copied, the event id lower-cased, tenant and source taken from the context', () => {
  const row = enrich({ ...base, occurred_at: '2026-11-29T11:00:00Z', session_id: 's', trace_id: 't', parent_id: 'p' }, 'track',
    { ...context, clientIp: '198.51.100.7' });
  assert.equal(row.eventId, '0190f5a2-7c3e-7b1a-9d2e-3f4a5b6c7d8e');
  assert.deepEqual([row.tenant, row.source, row.userId, row.anonymousId, row.sessionId, row.traceId, row.parentId, row.clientIp],
    ['acme', 'web', 'u1', null, 's', 't', 'p', '198.51.100.7']);
});
