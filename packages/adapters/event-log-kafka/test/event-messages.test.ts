import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeIngestedEvent, makeQuarantinedEvent } from '@sluice/core/testing';
import {
  decodeEventMessage,
  decodeQuarantineMessage,
  eventMessage,
  INGESTED_EVENT_SCHEMA,
  partitionKeyOf,
  QUARANTINED_EVENT_SCHEMA,
  quarantineMessage,
  SCHEMA_HEADER,
} from '../src/event-messages.ts';

test('the partition key is the session id, else the user id, else the anonymous id, else none', () => {
  assert.equal(partitionKeyOf({ sessionId: 's', userId: 'u', anonymousId: 'a' }), 's');
  assert.equal(partitionKeyOf({ sessionId: null, userId: 'u', anonymousId: 'a' }), 'u');
  assert.equal(partitionKeyOf({ sessionId: null, userId: null, anonymousId: 'a' }), 'a');
  assert.equal(partitionKeyOf({ sessionId: null, userId: null, anonymousId: null }), undefined);
});

test('an event message round-trips through its versioned JSON', () => {
  const event = makeIngestedEvent();
  const message = eventMessage('events', event);
  assert.equal(message.topic, 'events');
  assert.equal(message.key, event.sessionId);
  assert.deepEqual(message.headers, { [SCHEMA_HEADER]: INGESTED_EVENT_SCHEMA });
  assert.deepEqual(decodeEventMessage(message.value, message.headers[SCHEMA_HEADER]), event);
});

test('an event without any id has no key property at all (round-robin partitioning)', () => {
  const message = eventMessage('events', makeIngestedEvent({ sessionId: null, userId: null, anonymousId: null }));
  assert.equal('key' in message, false);
});

test('a quarantined event has no key and its own schema', () => {
  const event = makeQuarantinedEvent({ payload: [1, 'two'] });
  const message = quarantineMessage('quarantine', event);
  assert.equal('key' in message, false);
  assert.deepEqual(decodeQuarantineMessage(message.value, message.headers[SCHEMA_HEADER]), event);
});

test('readers refuse a schema they do not know rather than guess', () => {
  const { value } = eventMessage('events', makeIngestedEvent());
  assert.throws(() => decodeEventMessage(value, 'ingested-event/v2'), /ingested-event\/v2/);
  assert.throws(() => decodeEventMessage(value, undefined), /null/);
  assert.throws(() => decodeQuarantineMessage(value, INGESTED_EVENT_SCHEMA), /quarantined-event\/v1/);
  assert.equal(QUARANTINED_EVENT_SCHEMA, 'quarantined-event/v1');
});
