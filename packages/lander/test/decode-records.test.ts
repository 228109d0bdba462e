import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeIngestedEvent, makeQuarantinedEvent } from '@sluice/core/testing';
import { eventLineMessages, INGESTED_EVENT_LINES_SCHEMA, INGESTED_EVENT_SCHEMA, QUARANTINED_EVENT_SCHEMA, SCHEMA_HEADER } from '@sluice/event-log-kafka';
import { decodeRecord as decodeRecordItems, POISON_CODE, refusedItem, type KafkaRecord, type LandingItem } from '../src/decode-records.ts';

const QUARANTINE_TOPIC = 'sluice.quarantine.v1';

const originOf = (item: LandingItem) => (item.event === undefined ? item.origin : undefined);

function record(value: string | undefined, schema: string | undefined, topic = 'sluice.events.v1'): KafkaRecord {
  const headers = new Map<string, string>();
  if (schema !== undefined) headers.set(SCHEMA_HEADER, schema);
  return { topic, partition: 2, offset: 41n, timestamp: 1_700_000_000_000n, value, headers };
}

/** The one item of a message that holds one event. */
function decodeRecord(kafkaRecord: KafkaRecord, quarantineTopic: string): LandingItem {
  const items = decodeRecordItems(kafkaRecord, quarantineTopic);
  assert.equal(items.length, 1);
  return items[0]!;
}

test('a per-event message decodes to the IngestedEvent it carries', () => {
  const event = makeIngestedEvent();
  const kafkaRecord = record(JSON.stringify(event), INGESTED_EVENT_SCHEMA);
  assert.deepEqual(decodeRecord(kafkaRecord, QUARANTINE_TOPIC), { record: kafkaRecord, line: 0, lines: 1, event });
});

test('a message of lines decodes to its events in order; a broken line is poison on its own', () => {
  const events = [makeIngestedEvent({ sessionId: 's' }), makeIngestedEvent({ sessionId: 's' }), makeIngestedEvent({ sessionId: 's' })];
  const [message] = eventLineMessages('sluice.events.v1', events, 1 << 20);
  const whole = decodeRecordItems(record(message!.value, INGESTED_EVENT_LINES_SCHEMA), QUARANTINE_TOPIC);
  assert.deepEqual(whole.map((i) => i.event), events);
  assert.deepEqual(whole.map((i) => [i.line, i.lines]), [[0, 3], [1, 3], [2, 3]]);

  const lines = message!.value.split('\n');
  const broken = decodeRecordItems(record([lines[0], '{"eventId":', lines[2]].join('\n'), INGESTED_EVENT_LINES_SCHEMA), QUARANTINE_TOPIC);
  assert.deepEqual(broken.map((i) => i.event?.eventId), [events[0]!.eventId, undefined, events[2]!.eventId]);
  assert.equal(originOf(broken[1]!), 'poison');
  assert.equal(broken[1]!.quarantine?.payload, '{"eventId":', 'the broken line, not the whole message');
  assert.match(broken[1]!.quarantine?.message ?? '', /^undecodable Kafka message at sluice\.events\.v1-2@41\/1: /);
});

test('a message of the quarantine topic decodes to its quarantine row', () => {
  const quarantined = makeQuarantinedEvent({ eventId: 'abc' });
  const kafkaRecord = record(JSON.stringify(quarantined), QUARANTINED_EVENT_SCHEMA, QUARANTINE_TOPIC);
  assert.deepEqual(decodeRecord(kafkaRecord, QUARANTINE_TOPIC), { record: kafkaRecord, line: 0, lines: 1, quarantine: quarantined, origin: 'topic' });
});

test('bytes that are not JSON become a quarantine row keeping the raw value and where it was', () => {
  const item = decodeRecord(record('\u0000\u00ffgarbage', INGESTED_EVENT_SCHEMA), QUARANTINE_TOPIC);
  assert.equal(originOf(item), 'poison');
  assert.equal(item.quarantine?.code, POISON_CODE);
  assert.match(item.quarantine?.message ?? '', /^undecodable Kafka message at sluice\.events\.v1-2@41: /);
  assert.equal(item.quarantine?.payload, '\u0000\u00ffgarbage');
  assert.equal(item.quarantine?.receivedAt, 1_700_000_000_000, 'the Kafka timestamp, stable across replays');
  assert.deepEqual([item.quarantine?.tenant, item.quarantine?.source, item.quarantine?.eventId], ['', '', null]);
});

test('an unknown or missing schema header is poison, not a guess', () => {
  const event = JSON.stringify(makeIngestedEvent());
  for (const schema of [undefined, 'ingested-event/v2', QUARANTINED_EVENT_SCHEMA]) {
    const item = decodeRecord(record(event, schema), QUARANTINE_TOPIC);
    assert.match(item.quarantine?.message ?? '', /Unsupported message schema/, String(schema));
  }
});

test('JSON of the wrong shape is poison naming the field, keeping the identity it has', () => {
  const broken = { ...makeIngestedEvent({ tenant: 'acme', source: 'web' }), eventId: 'not-a-uuid' };
  const item = decodeRecord(record(JSON.stringify(broken), INGESTED_EVENT_SCHEMA), QUARANTINE_TOPIC);
  assert.equal(item.quarantine?.pointer, '/eventId');
  assert.match(item.quarantine?.message ?? '', /\/eventId must be a UUID string$/);
  assert.deepEqual([item.quarantine?.tenant, item.quarantine?.source, item.quarantine?.eventId], ['acme', 'web', 'not-a-uuid']);

  const { payload: _payload, ...withoutPayload } = makeIngestedEvent();
  assert.match(decodeRecord(record(JSON.stringify(withoutPayload), INGESTED_EVENT_SCHEMA), QUARANTINE_TOPIC).quarantine?.message ?? '', /\/payload is missing/);
  assert.match(decodeRecord(record('[1,2]', INGESTED_EVENT_SCHEMA), QUARANTINE_TOPIC).quarantine?.message ?? '', /must be a JSON object/);
  const badQuarantine = { ...makeQuarantinedEvent(), receivedAt: 'yesterday' };
  const item2 = decodeRecord(record(JSON.stringify(badQuarantine), QUARANTINED_EVENT_SCHEMA, QUARANTINE_TOPIC), QUARANTINE_TOPIC);
  assert.equal(originOf(item2), 'poison');
  assert.equal(item2.quarantine?.pointer, '/receivedAt');
});

test('a message without a value (tombstone) is poison with a null payload', () => {
  const item = decodeRecord(record(undefined, INGESTED_EVENT_SCHEMA), QUARANTINE_TOPIC);
  assert.equal(originOf(item), 'poison');
  assert.equal(item.quarantine?.payload, null);
});

test('an event the warehouse refuses becomes a quarantine row with its identity and raw value', () => {
  const event = makeIngestedEvent();
  const raw = JSON.stringify(event);
  const item = refusedItem(decodeRecord(record(raw, INGESTED_EVENT_SCHEMA), QUARANTINE_TOPIC), 'Cannot parse DateTime64');
  assert.equal(originOf(item), 'refused');
  assert.equal(item.quarantine?.eventId, event.eventId);
  assert.equal(item.quarantine?.payload, raw);
  assert.match(item.quarantine?.message ?? '', /the warehouse refused the Kafka message at sluice\.events\.v1-2@41: Cannot parse DateTime64/);

  const events = [makeIngestedEvent({ sessionId: 's' }), makeIngestedEvent({ sessionId: 's' })];
  const [message] = eventLineMessages('sluice.events.v1', events, 1 << 20);
  const second = decodeRecordItems(record(message!.value, INGESTED_EVENT_LINES_SCHEMA), QUARANTINE_TOPIC)[1]!;
  const refusedLine = refusedItem(second, 'no');
  assert.equal(refusedLine.quarantine?.payload, JSON.stringify(events[1]), 'the line of the refused event only');
  assert.match(refusedLine.quarantine?.message ?? '', /at sluice\.events\.v1-2@41\/1: no$/);
});
