import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeIngestedEvent, makeQuarantinedEvent } from '@sluice/core/testing';
import {
  decodeEventMessage,
  decodeQuarantineMessage,
  eventLineMessages,
  eventLinesOf,
  eventMessage,
  INGESTED_EVENT_LINES_SCHEMA,
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

test('the events of one append travel as one message per partition key, in order, one JSON per line', () => {
  const events = [
    makeIngestedEvent({ sessionId: 'a' }), makeIngestedEvent({ sessionId: 'b' }), makeIngestedEvent({ sessionId: 'a' }),
    makeIngestedEvent({ sessionId: null, userId: null, anonymousId: null }),
  ];
  const messages = eventLineMessages('events', events, 1 << 20);
  assert.deepEqual(messages.map((m) => m.key), ['a', 'b', undefined]);
  assert.equal('key' in messages[2]!, false, 'events without any id: a message without a key (round-robin)');
  for (const message of messages) assert.deepEqual(message.headers, { [SCHEMA_HEADER]: INGESTED_EVENT_LINES_SCHEMA });
  const decoded = messages.map((m) => eventLinesOf(m.value, m.headers[SCHEMA_HEADER]).map((line) => JSON.parse(line) as unknown));
  assert.deepEqual(decoded, [[events[0], events[2]], [events[1]], [events[3]]]);
});

test('a key with many events is cut into messages under the size limit, order kept; a larger event goes alone', () => {
  const events = Array.from({ length: 10 }, () => makeIngestedEvent({ sessionId: 's' }));
  const lineLength = JSON.stringify(events[0]).length;
  const messages = eventLineMessages('events', events, 3 * (lineLength + 1) + 10);
  assert.deepEqual(messages.map((m) => m.value.split('\n').length), [3, 3, 3, 1]);
  assert.deepEqual(messages.flatMap((m) => eventLinesOf(m.value, INGESTED_EVENT_LINES_SCHEMA).map((l) => (JSON.parse(l) as { eventId: string }).eventId)), events.map((e) => e.eventId));
  assert.deepEqual(eventLineMessages('events', events.slice(0, 2), 10).map((m) => m.value.split('\n').length), [1, 1]);
});

test('per-event messages (what earlier versions wrote) still read as one line', () => {
  const event = makeIngestedEvent();
  const message = eventMessage('events', event);
  assert.deepEqual(eventLinesOf(message.value, message.headers[SCHEMA_HEADER]), [JSON.stringify(event)]);
  assert.throws(() => eventLinesOf(message.value, 'ingested-event/v9'), /ingested-event-lines\/v1 or ingested-event\/v1/);
});
