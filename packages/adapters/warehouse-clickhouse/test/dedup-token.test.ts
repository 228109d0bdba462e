import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeIngestedEvent, makeQuarantinedEvent } from '@sluice/core/testing';
import { eventsDedupToken, quarantineDedupToken } from '../src/dedup-token.ts';

test('an events token depends on which events, not on their order or the case of their ids', () => {
  const a = makeIngestedEvent();
  const b = makeIngestedEvent();
  assert.equal(eventsDedupToken([a, b]), eventsDedupToken([b, { ...a, eventId: a.eventId.toUpperCase() }]));
  assert.notEqual(eventsDedupToken([a, b]), eventsDedupToken([a]));
  assert.notEqual(eventsDedupToken([a]), eventsDedupToken([{ ...a, source: 'other' }]));
  assert.notEqual(eventsDedupToken([a]), eventsDedupToken([{ ...a, tenant: 'other' }]));
});

test('an events token ignores what a retry changes (received_at, timestamp)', () => {
  const a = makeIngestedEvent();
  assert.equal(eventsDedupToken([a]), eventsDedupToken([{ ...a, receivedAt: a.receivedAt + 1000, timestamp: a.timestamp + 1000 }]));
});

test('a quarantine token covers the whole record, and counts repeats', () => {
  const q = makeQuarantinedEvent();
  assert.equal(quarantineDedupToken([q, { ...q, pointer: '/x' }]), quarantineDedupToken([{ ...q, pointer: '/x' }, q]));
  assert.notEqual(quarantineDedupToken([q]), quarantineDedupToken([{ ...q, receivedAt: q.receivedAt + 1 }]));
  assert.notEqual(quarantineDedupToken([q]), quarantineDedupToken([{ ...q, payload: { other: true } }]));
  assert.notEqual(quarantineDedupToken([q]), quarantineDedupToken([q, q]));
});

test('tokens are prefixed by table, so they never equal a caller-chosen lander token', () => {
  assert.match(eventsDedupToken([makeIngestedEvent()]), /^events-sha256-[0-9a-f]{64}$/);
  assert.match(quarantineDedupToken([makeQuarantinedEvent()]), /^quarantine-sha256-[0-9a-f]{64}$/);
});
