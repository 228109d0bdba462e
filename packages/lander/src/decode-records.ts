import type { IngestedEvent, QuarantinedEvent } from '@sluice/core';
import { decodeEventMessage, decodeQuarantineMessage, SCHEMA_HEADER } from '@sluice/event-log-kafka';
import { ingestedEventProblem, quarantinedEventProblem, type RecordProblem } from './record-checks.ts';

/** One Kafka message as the lander keeps it until it is landed. */
export interface KafkaRecord {
  topic: string;
  partition: number;
  offset: bigint;
  /** Broker or producer time, epoch ms. */
  timestamp: bigint;
  /** UTF-8 text of the value; undefined for a message without one (a tombstone). */
  value: string | undefined;
  headers: ReadonlyMap<string, string>;
}

/**
 * Where a quarantine row comes from: the quarantine topic (ingest rejected the event), a message
 * that could not be decoded, or an event the warehouse itself refused.
 */
export type QuarantineOrigin = 'topic' | 'poison' | 'refused';

/** What one message becomes in the warehouse: an event, or a quarantine row. */
export type LandingItem =
  | { offset: bigint; event: IngestedEvent; quarantine?: undefined }
  | { offset: bigint; event?: undefined; quarantine: QuarantinedEvent; origin: QuarantineOrigin };

export const POISON_CODE = 'SLUICE_ERR_EVENT_INVALID';

/**
 * Decodes a message of the events topic into an event, or of the quarantine topic into a
 * quarantine row. Anything else — bytes that are not JSON, an unknown `sluice-schema` version, a
 * record of the wrong shape — is poison: it becomes a quarantine row that keeps the raw value, so
 * it lands with its batch and never blocks the partition.
 */
export function decodeRecord(record: KafkaRecord, quarantineTopic: string): LandingItem {
  const schema = record.headers.get(SCHEMA_HEADER);
  const isQuarantine = record.topic === quarantineTopic;
  let parsed: unknown;
  try {
    parsed = isQuarantine ? decodeQuarantineMessage(record.value ?? '', schema) : decodeEventMessage(record.value ?? '', schema);
  } catch (error) {
    return { offset: record.offset, quarantine: poisonRow(record, undefined, { pointer: '', reason: reasonOf(error) }), origin: 'poison' };
  }
  const problem = isQuarantine ? quarantinedEventProblem(parsed) : ingestedEventProblem(parsed);
  if (problem !== undefined) return { offset: record.offset, quarantine: poisonRow(record, parsed, problem), origin: 'poison' };
  return isQuarantine
    ? { offset: record.offset, quarantine: parsed as QuarantinedEvent, origin: 'topic' }
    : { offset: record.offset, event: parsed as IngestedEvent };
}

/**
 * What a message becomes when the warehouse refuses it on its own (found by isolating it in its
 * batch) while accepting everything around it: a quarantine row with the raw value, keeping the
 * identity of the record it decoded to.
 */
export function refusedItem(record: KafkaRecord, item: LandingItem, reason: string): LandingItem {
  const identity = item.event ?? item.quarantine;
  const quarantine: QuarantinedEvent = {
    tenant: identity.tenant,
    source: identity.source,
    receivedAt: identity.receivedAt,
    eventId: identity.eventId,
    code: POISON_CODE,
    pointer: '',
    message: `the warehouse refused the Kafka message at ${describePosition(record)}: ${reason}`,
    payload: record.value ?? null,
  };
  return { offset: item.offset, quarantine, origin: 'refused' };
}

export function describePosition(record: Pick<KafkaRecord, 'topic' | 'partition' | 'offset'>): string {
  return `${record.topic}-${record.partition}@${record.offset}`;
}

/**
 * Whatever identity the record still offers (tenant, source, event id, receive time) is kept so a
 * steward finds the row where they look for their own; the rest falls back to neutral values.
 * receivedAt falls back to the Kafka timestamp, which is stable across replays.
 */
function poisonRow(record: KafkaRecord, parsed: unknown, problem: RecordProblem): QuarantinedEvent {
  const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const text = (name: string): string | undefined => (typeof fields[name] === 'string' ? fields[name] : undefined);
  const receivedAt = fields['receivedAt'];
  const where = problem.pointer === '' ? '' : `${problem.pointer} `;
  return {
    tenant: text('tenant') ?? '',
    source: text('source') ?? '',
    receivedAt: typeof receivedAt === 'number' && Number.isFinite(receivedAt) ? receivedAt : Number(record.timestamp),
    eventId: text('eventId') ?? null,
    code: POISON_CODE,
    pointer: problem.pointer,
    message: `undecodable Kafka message at ${describePosition(record)}: ${where}${problem.reason}`,
    payload: record.value ?? null,
  };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
