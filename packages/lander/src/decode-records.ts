import type { IngestedEvent, QuarantinedEvent } from '@sluice/core';
import { decodeQuarantineMessage, eventLinesOf, SCHEMA_HEADER } from '@sluice/event-log-kafka';
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

/** Where an item comes from: a message, and its line in it (a message may hold several events). */
export interface ItemSource {
  record: KafkaRecord;
  /** 0-based line of the message this item was decoded from. */
  line: number;
  /** Lines the message holds; 1 for a per-event message. */
  lines: number;
}

/** What one event of a message becomes in the warehouse: an event, or a quarantine row. */
export type LandingItem = ItemSource & (
  | { event: IngestedEvent; quarantine?: undefined }
  | { event?: undefined; quarantine: QuarantinedEvent; origin: QuarantineOrigin }
);

export const POISON_CODE = 'SLUICE_ERR_EVENT_INVALID';

/**
 * Decodes a message of the events topic into its events (one per line), or a message of the
 * quarantine topic into a quarantine row. Anything else — bytes that are not JSON, an unknown
 * `sluice-schema` version, a record of the wrong shape — is poison: it becomes a quarantine row
 * that keeps the raw text, so it lands with its batch and never blocks the partition. A broken
 * line costs only itself: the other lines of its message land as events.
 */
export function decodeRecord(record: KafkaRecord, quarantineTopic: string): LandingItem[] {
  const schema = record.headers.get(SCHEMA_HEADER);
  const value = record.value ?? '';
  if (record.topic === quarantineTopic) {
    const source = { record, line: 0, lines: 1 };
    let parsed: unknown;
    try {
      parsed = decodeQuarantineMessage(value, schema);
    } catch (error) {
      return [{ ...source, quarantine: poisonRow(source, value, undefined, { pointer: '', reason: reasonOf(error) }), origin: 'poison' }];
    }
    const problem = quarantinedEventProblem(parsed);
    if (problem !== undefined) return [{ ...source, quarantine: poisonRow(source, value, parsed, problem), origin: 'poison' }];
    return [{ ...source, quarantine: parsed as QuarantinedEvent, origin: 'topic' }];
  }
  let lines: string[];
  try {
    lines = eventLinesOf(value, schema);
  } catch (error) {
    const source = { record, line: 0, lines: 1 };
    return [{ ...source, quarantine: poisonRow(source, value, undefined, { pointer: '', reason: reasonOf(error) }), origin: 'poison' }];
  }
  return lines.map((text, line) => decodeEventLine({ record, line, lines: lines.length }, text));
}

function decodeEventLine(source: ItemSource, text: string): LandingItem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ...source, quarantine: poisonRow(source, text, undefined, { pointer: '', reason: reasonOf(error) }), origin: 'poison' };
  }
  const problem = ingestedEventProblem(parsed);
  if (problem !== undefined) return { ...source, quarantine: poisonRow(source, text, parsed, problem), origin: 'poison' };
  return { ...source, event: parsed as IngestedEvent };
}

/**
 * What an item becomes when the warehouse refuses it on its own (found by isolating it in its
 * batch) while accepting everything around it: a quarantine row with the raw text of its line,
 * keeping the identity of the record it decoded to.
 */
export function refusedItem(item: LandingItem, reason: string): LandingItem {
  const identity = item.event ?? item.quarantine;
  const quarantine: QuarantinedEvent = {
    tenant: identity.tenant,
    source: identity.source,
    receivedAt: identity.receivedAt,
    eventId: identity.eventId,
    code: POISON_CODE,
    pointer: '',
    message: `the warehouse refused the Kafka message at ${describePosition(item)}: ${reason}`,
    payload: rawTextOf(item) ?? null,
  };
  return { record: item.record, line: item.line, lines: item.lines, quarantine, origin: 'refused' };
}

/** `topic-partition@offset`, and `/line` for a message of several lines. */
export function describePosition(source: Pick<ItemSource, 'record'> & Partial<Pick<ItemSource, 'line' | 'lines'>>): string {
  const { topic, partition, offset } = source.record;
  const line = source.lines !== undefined && source.lines > 1 ? `/${source.line ?? 0}` : '';
  return `${topic}-${partition}@${offset}${line}`;
}

function rawTextOf(item: LandingItem): string | undefined {
  const { value } = item.record;
  if (value === undefined || item.lines === 1) return value;
  return value.split('\n')[item.line];
}

/**
 * Whatever identity the record still offers (tenant, source, event id, receive time) is kept so a
 * steward finds the row where they look for their own; the rest falls back to neutral values.
 * receivedAt falls back to the Kafka timestamp, which is stable across replays.
 */
function poisonRow(source: ItemSource, text: string | undefined, parsed: unknown, problem: RecordProblem): QuarantinedEvent {
  const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const field = (name: string): string | undefined => (typeof fields[name] === 'string' ? fields[name] : undefined);
  const receivedAt = fields['receivedAt'];
  const where = problem.pointer === '' ? '' : `${problem.pointer} `;
  return {
    tenant: field('tenant') ?? '',
    source: field('source') ?? '',
    receivedAt: typeof receivedAt === 'number' && Number.isFinite(receivedAt) ? receivedAt : Number(source.record.timestamp),
    eventId: field('eventId') ?? null,
    code: POISON_CODE,
    pointer: problem.pointer,
    message: `undecodable Kafka message at ${describePosition(source)}: ${where}${problem.reason}`,
    // A tombstone keeps null, as before; a message's text (or its broken line) is kept as it was.
    payload: source.record.value === undefined ? null : (text ?? null),
  };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
