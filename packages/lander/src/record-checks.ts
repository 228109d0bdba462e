import type { IngestedEvent, QuarantinedEvent } from '@sluice/core';

/*
 * Shape checks for records read back from Kafka. Ingest validated every event before producing it,
 * but the topic is open to any producer (a second writer, a replayed dump, a bug in another
 * version): a record that passed `JSON.parse` yet lacks a field would make the warehouse insert
 * fail on every retry and block its partition forever. Checked here, it becomes a quarantine row.
 * Each check returns the first problem found, or undefined.
 */

export interface RecordProblem {
  /** JSON pointer into the record ('' for the record itself). */
  pointer: string;
  reason: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Check = (value: unknown) => string | undefined;

const nonEmptyString: Check = (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'must be a non-empty string');
const string: Check = (v) => (typeof v === 'string' ? undefined : 'must be a string');
const nullableString: Check = (v) => (v === null || typeof v === 'string' ? undefined : 'must be a string or null');
const epochMs: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'must be a finite number (epoch ms)');
const nullableEpochMs: Check = (v) => (v === null ? undefined : epochMs(v));
const uuid: Check = (v) => (typeof v === 'string' && UUID.test(v) ? undefined : 'must be a UUID string');
const object: Check = (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : 'must be a JSON object');
const anything: Check = () => undefined;

const ingestedEventFields: Record<keyof IngestedEvent, Check> = {
  eventId: uuid,
  tenant: nonEmptyString,
  source: nonEmptyString,
  type: nonEmptyString,
  occurredAt: epochMs,
  sentAt: nullableEpochMs,
  receivedAt: epochMs,
  timestamp: epochMs,
  userId: nullableString,
  anonymousId: nullableString,
  sessionId: nullableString,
  traceId: nullableString,
  parentId: nullableString,
  clientIp: nullableString,
  payload: object,
};

const quarantinedEventFields: Record<keyof QuarantinedEvent, Check> = {
  tenant: string,
  source: string,
  receivedAt: epochMs,
  eventId: nullableString,
  code: string,
  pointer: string,
  message: string,
  payload: anything,
};

// As [name, check] pairs once, rather than on every record: every event read from Kafka is checked.
const ingestedEventChecks = Object.entries(ingestedEventFields);
const quarantinedEventChecks = Object.entries(quarantinedEventFields);

export function ingestedEventProblem(value: unknown): RecordProblem | undefined {
  return recordProblem(value, ingestedEventChecks);
}

export function quarantinedEventProblem(value: unknown): RecordProblem | undefined {
  return recordProblem(value, quarantinedEventChecks);
}

function recordProblem(value: unknown, checks: ReadonlyArray<[string, Check]>): RecordProblem | undefined {
  if (object(value) !== undefined) return { pointer: '', reason: 'must be a JSON object' };
  const record = value as Record<string, unknown>;
  for (const [name, check] of checks) {
    if (!(name in record) && check !== anything) return { pointer: `/${name}`, reason: 'is missing' };
    const reason = check(record[name]);
    if (reason !== undefined) return { pointer: `/${name}`, reason };
  }
  return undefined;
}
