import { ALNUM, HEX, UPPER, DIGITS, type Random } from './random.ts';

/**
 * Identifiers as real SDKs and providers make them, drawn from the session's stream so they are
 * reproducible. Event ids are UUIDv7 (the contract's recommendation): time-ordered by the event's
 * own timestamp, which keeps DuckDB and ClickHouse inserts append-friendly.
 */
export function uuidV7(timestampMs: number, random: Random): string {
  const time = Math.floor(timestampMs).toString(16).padStart(12, '0').slice(-12);
  const variant = HEX[8 + random.int(0, 3)]!;
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.chars(HEX, 3)}-${variant}${random.chars(HEX, 3)}-${random.chars(HEX, 12)}`;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** OpenAI-style chat completion id (`chatcmpl-…`), as a vLLM or OpenAI gateway returns it. */
export function chatCompletionId(random: Random): string {
  return `chatcmpl-${random.chars(ALNUM, 24)}`;
}

/** ULID-flavoured completion id, as IDE plugins log them (`cmpl-01J…`). */
export function completionId(random: Random): string {
  return `cmpl-01J${random.chars(CROCKFORD, 23)}`;
}

export function toolCallId(random: Random): string {
  return `call_${random.chars(ALNUM, 22)}`;
}

/** A support order number: matches the support ruleset's custom ORDER_ID detector (`ORD-\d{6,10}`). */
export function orderNumber(random: Random): string {
  return `ORD-${random.chars(DIGITS, random.int(7, 8))}`;
}

export function ticketNumber(random: Random): string {
  return `T-${random.chars(UPPER, 2)}${random.chars(DIGITS, 5)}`;
}

export function hexId(random: Random, length: number): string {
  return random.chars(HEX, length);
}
