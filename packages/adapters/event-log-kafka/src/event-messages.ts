import type { IngestedEvent, QuarantinedEvent } from '@sluice/core';
import { ByteWriter } from './byte-writer.ts';
import { writeRoundLines } from './event-lines.ts';
import { roundOf, type ProduceRound } from './produce-round.ts';

/**
 * The wire format of Sluice's Kafka topics, shared by the producer (this adapter) and the lander.
 *
 * - Value: UTF-8 JSON of the domain record exactly as `@sluice/core` defines it (IngestedEvent or
 *   QuarantinedEvent, camelCase fields, times in epoch milliseconds).
 * - Header `sluice-schema`: which record and which version of it the value holds. A reader refuses
 *   versions it does not know instead of guessing, so the format can evolve (v2 beside v1) while
 *   old messages are still in the topic.
 * - Accepted events travel as `ingested-event-lines/v1`: the events of one append that share a
 *   partition key, one `ingested-event/v1` JSON per line (JSON text never holds a raw newline).
 *   A line splices in the payload's JSON as the client sent it when the request body is at hand
 *   (raw line breaks, JSON whitespace, become spaces): it parses to the same record.
 *   Per-event messages (`ingested-event/v1`, what earlier versions wrote) are still read. One
 *   message per key and append instead of one per event cut the producer's CPU per event by
 *   about 2.5x (docs/decisions/0006): a Kafka record costs the client far more than its bytes.
 * - Key of accepted events: their session id, else user id, else anonymous id. Kafka keeps the
 *   order of messages with the same key (one partition), and a message keeps the order of its
 *   lines, so a session's events are landed in the order they were ingested. Events with none of
 *   the three go in messages without a key, spread round-robin.
 * - Quarantined events have no key: nothing downstream depends on their order.
 */
export const SCHEMA_HEADER = 'sluice-schema';
export const INGESTED_EVENT_SCHEMA = 'ingested-event/v1';
export const INGESTED_EVENT_LINES_SCHEMA = 'ingested-event-lines/v1';
export const QUARANTINED_EVENT_SCHEMA = 'quarantined-event/v1';

export interface OutgoingMessage<Value extends string | Buffer = string> {
  topic: string;
  key?: string;
  value: Value;
  headers: Record<string, string>;
}

export function partitionKeyOf(event: Pick<IngestedEvent, 'sessionId' | 'userId' | 'anonymousId'>): string | undefined {
  return event.sessionId ?? event.userId ?? event.anonymousId ?? undefined;
}

/**
 * The messages of produce rounds, as the producer thread sends them: the events grouped by
 * partition key in arrival order, each group cut into values of at most `maxValueBytes` (a single
 * larger event still gets a message of its own). Each line splices the client's JSON of the
 * payload after the record's other fields where the round has the request body, and is the
 * serialised record otherwise (the line parses to the same record either way; see
 * event-lines.ts). The values are views into `writer`; `scratch` is working space.
 */
export function lineMessages(
  topic: string, rounds: readonly ProduceRound[], maxValueBytes: number, writer: ByteWriter, scratch = new ByteWriter(1024),
): Array<OutgoingMessage<Buffer>> {
  return writeRoundLines(rounds, maxValueBytes, writer, scratch).map(({ key, value }) => {
    const message: OutgoingMessage<Buffer> = { topic, value, headers: { [SCHEMA_HEADER]: INGESTED_EVENT_LINES_SCHEMA } };
    if (key !== undefined) message.key = key;
    return message;
  });
}

/** The messages of records at hand, values as text (what a consumer with string deserializers reads). */
export function eventLineMessages(topic: string, events: readonly IngestedEvent[], maxValueBytes: number): OutgoingMessage[] {
  const { round } = roundOf({ events, quarantine: [] });
  return lineMessages(topic, [round], maxValueBytes, new ByteWriter(1024)).map((message) => ({ ...message, value: message.value.toString('utf8') }));
}

/** A per-event message (`ingested-event/v1`), as earlier versions wrote them; kept for tests of readers. */
export function eventMessage(topic: string, event: IngestedEvent): OutgoingMessage {
  const key = partitionKeyOf(event);
  const message: OutgoingMessage = { topic, value: JSON.stringify(event), headers: { [SCHEMA_HEADER]: INGESTED_EVENT_SCHEMA } };
  if (key !== undefined) message.key = key;
  return message;
}

export function quarantineMessage(topic: string, event: QuarantinedEvent): OutgoingMessage {
  return quarantineJsonMessage(topic, JSON.stringify(event));
}

/** A quarantine message from the JSON of a QuarantinedEvent. */
export function quarantineJsonMessage(topic: string, json: string): OutgoingMessage {
  return { topic, value: json, headers: { [SCHEMA_HEADER]: QUARANTINED_EVENT_SCHEMA } };
}

/** Reads the value of a per-event message from the events topic; throws on an unknown schema version. */
export function decodeEventMessage(value: string, schema: string | undefined): IngestedEvent {
  assertSchema(schema, INGESTED_EVENT_SCHEMA);
  return JSON.parse(value) as IngestedEvent;
}

/**
 * The JSON text of each event a message of the events topic holds, in order, not yet parsed (so a
 * reader can tell which line is broken); throws on an unknown schema version.
 */
export function eventLinesOf(value: string, schema: string | undefined): string[] {
  if (schema === INGESTED_EVENT_LINES_SCHEMA) return value.split('\n');
  assertSchema(schema, INGESTED_EVENT_SCHEMA);
  return [value];
}

/** Reads the value of a message from the quarantine topic; throws on an unknown schema version. */
export function decodeQuarantineMessage(value: string, schema: string | undefined): QuarantinedEvent {
  assertSchema(schema, QUARANTINED_EVENT_SCHEMA);
  return JSON.parse(value) as QuarantinedEvent;
}

function assertSchema(actual: string | undefined, expected: string): void {
  if (actual !== expected) {
    const understood = expected === INGESTED_EVENT_SCHEMA ? `${INGESTED_EVENT_LINES_SCHEMA} or ${expected}` : expected;
    throw new Error(`Unsupported message schema ${JSON.stringify(actual ?? null)}; this reader understands ${understood}`);
  }
}
