import type { IngestedEvent, QuarantinedEvent } from '@sluice/core';
import { encodeLines, type ByteWriter, type Envelope, type LineSources } from './event-lines.ts';

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
 * The messages of one append, as the producer sends them: the events grouped by partition key in
 * arrival order, each group cut into values of at most `maxValueBytes` (a single larger event
 * still gets a message of its own). Each line splices the client's JSON of the payload after the
 * record's other fields where the sources have it, and is the serialised record otherwise (the
 * line parses to the same record either way; see event-lines.ts). The values are views into
 * `writer` when one is given.
 */
export function lineMessages(topic: string, sources: LineSources, maxValueBytes: number, writer?: ByteWriter): Array<OutgoingMessage<Buffer>> {
  const groups = new Map<string | undefined, { envelopes: Envelope[]; payloads: Array<Uint8Array | null>; lines: Array<string | null> }>();
  for (let i = 0; i < sources.envelopes.length; i++) {
    const envelope = sources.envelopes[i]!;
    const key = partitionKeyOf(envelope);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { envelopes: [], payloads: [], lines: [] }));
    group.envelopes.push(envelope);
    group.payloads.push(sources.payloads[i] ?? null);
    group.lines.push(sources.lines[i] ?? null);
  }
  const messages: Array<OutgoingMessage<Buffer>> = [];
  for (const [key, group] of groups) {
    const { bytes, ends } = encodeLines(group, writer);
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      const end = ends[i]!;
      // Cut after line i when line i + 1 would not fit, and after the last line.
      if (i === ends.length - 1 || ends[i + 1]! - start > maxValueBytes) {
        const message: OutgoingMessage<Buffer> = { topic, value: bytes.subarray(start, end), headers: { [SCHEMA_HEADER]: INGESTED_EVENT_LINES_SCHEMA } };
        if (key !== undefined) message.key = key;
        messages.push(message);
        start = end + 1;
      }
    }
  }
  return messages;
}

/** The messages of records at hand, values as text (what a consumer with string deserializers reads). */
export function eventLineMessages(topic: string, events: readonly IngestedEvent[], maxValueBytes: number): OutgoingMessage[] {
  const sources = { envelopes: events, payloads: [], lines: events.map((event) => JSON.stringify(event)) };
  return lineMessages(topic, sources, maxValueBytes).map((message) => ({ ...message, value: message.value.toString('utf8') }));
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
