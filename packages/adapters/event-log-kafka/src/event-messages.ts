import type { IngestedEvent, QuarantinedEvent } from '@sluice/core';

/**
 * The wire format of Sluice's Kafka topics, shared by the producer (this adapter) and the lander.
 *
 * - Value: UTF-8 JSON of the domain record exactly as `@sluice/core` defines it (IngestedEvent or
 *   QuarantinedEvent, camelCase fields, times in epoch milliseconds).
 * - Header `sluice-schema`: which record and which version of it the value holds. A reader refuses
 *   versions it does not know instead of guessing, so the format can evolve (v2 beside v1) while
 *   old messages are still in the topic.
 * - Key of an accepted event: its session id, else user id, else anonymous id. Kafka keeps the
 *   order of messages with the same key (one partition), so a session's events are landed in the
 *   order they were ingested. Events with none of the three get no key and are spread round-robin.
 * - Quarantined events have no key: nothing downstream depends on their order.
 */
export const SCHEMA_HEADER = 'sluice-schema';
export const INGESTED_EVENT_SCHEMA = 'ingested-event/v1';
export const QUARANTINED_EVENT_SCHEMA = 'quarantined-event/v1';

export interface OutgoingMessage {
  topic: string;
  key?: string;
  value: string;
  headers: Record<string, string>;
}

export function partitionKeyOf(event: Pick<IngestedEvent, 'sessionId' | 'userId' | 'anonymousId'>): string | undefined {
  return event.sessionId ?? event.userId ?? event.anonymousId ?? undefined;
}

export function eventMessage(topic: string, event: IngestedEvent): OutgoingMessage {
  const key = partitionKeyOf(event);
  const message: OutgoingMessage = { topic, value: JSON.stringify(event), headers: { [SCHEMA_HEADER]: INGESTED_EVENT_SCHEMA } };
  if (key !== undefined) message.key = key;
  return message;
}

export function quarantineMessage(topic: string, event: QuarantinedEvent): OutgoingMessage {
  return { topic, value: JSON.stringify(event), headers: { [SCHEMA_HEADER]: QUARANTINED_EVENT_SCHEMA } };
}

/** Reads the value of a message from the events topic; throws on an unknown schema version. */
export function decodeEventMessage(value: string, schema: string | undefined): IngestedEvent {
  assertSchema(schema, INGESTED_EVENT_SCHEMA);
  return JSON.parse(value) as IngestedEvent;
}

/** Reads the value of a message from the quarantine topic; throws on an unknown schema version. */
export function decodeQuarantineMessage(value: string, schema: string | undefined): QuarantinedEvent {
  assertSchema(schema, QUARANTINED_EVENT_SCHEMA);
  return JSON.parse(value) as QuarantinedEvent;
}

function assertSchema(actual: string | undefined, expected: string): void {
  if (actual !== expected) {
    throw new Error(`Unsupported message schema ${JSON.stringify(actual ?? null)}; this reader understands ${expected}`);
  }
}
