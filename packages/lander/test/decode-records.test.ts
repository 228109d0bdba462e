import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeIngestedEvent, makeQuarantinedEvent } from '@sluice/core/testing';
import { INGESTED_EVENT_SCHEMA, QUARANTINED_EVENT_SCHEMA, SCHEMA_HEADER } from '@sluice/event-log-kafka';
import { decodeRecord, POISON_CODE, refusedItem, type KafkaRecord, type LandingItem } from '../src/decode-records.ts';

const QUARANTINE_TOPIC = 'sluice.quarantine.v1';

const originOf = (item: LandingItem) => (item.event === undefined ? item.origin : undefined);

function record(value: string | undefined, schema: string | undefined, topic = 'sluice.events.v1'): KafkaRecord {
  const headers = new Map<string, string>();
  if (schema !== undefined) headers.set(SCHEMA_HEADER, schema);
  return { topic, partition: 2, offset: 41n, timestamp: 1_700_000_000_000n, value, headers };
}

test('an event message decodes to the IngestedEvent it carries', () => {
  const event = makeIngestedEvent();
  assert.deepEqual(decodeRecord(record(JSON.stringify(event), INGESTED_EVENT_SCHEMA), QUARANTINE_TOPIC), { offset: 41n, event });
});

test('a message of the quarantine topic decodes to its quarantine row', () => {
  const quarantined = makeQuarantinedEvent({ eventId: 'abc' });
  const item = decodeRecord(record(JSON.stringify(quarantined), QUARANTINED_EVENT_SCHEMA, QUARANTINE_TOPIC), QUARANTINE_TOPIC);
  assert.deepEqual(item, { offset: 41n, quarantine: quarantined, origin: 'topic' });
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
  const item = refusedItem(record(raw, INGESTED_EVENT_SCHEMA), { offset: 41n, event }, 'Cannot parse DateTime64');
  assert.equal(originOf(item), 'refused');
  assert.equal(item.quarantine?.eventId, event.eventId);
  assert.equal(item.quarantine?.payload, raw);
  assert.match(item.quarantine?.message ?? '', /the warehouse refused the Kafka message at sluice\.events\.v1-2@41: Cannot parse DateTime64/);
});
