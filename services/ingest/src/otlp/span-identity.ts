import { createHash } from 'node:crypto';
import { stringAttr } from './attributes.ts';
import type { OtlpSpanRecord } from './model.ts';

/** UUID namespace of event ids derived from OTLP spans (a fixed random UUID; never change it). */
const OTLP_NAMESPACE = Buffer.from('5d0c7a4e8b1f4c2a9e36f0b7d1a2c3e4', 'hex');

/**
 * A name-based UUID (version 5: SHA-1 over a namespace and a name) from a span's ids, so the
 * same span sent twice — an exporter retry, a collector replay — gets the same event_id and is
 * stored once. `parts` are joined with '/': `[traceId, spanId]` for the generation, with a suffix
 * for further events taken from the same span.
 */
export function otlpEventId(...parts: string[]): string {
  const hash = createHash('sha1').update(OTLP_NAMESPACE).update(parts.join('/')).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const USER_ID_KEYS = ['user.id', 'enduser.id', 'traceloop.association.properties.user_id'];
const SESSION_ID_KEYS = ['gen_ai.conversation.id', 'session.id', 'traceloop.association.properties.session_id'];

/**
 * The envelope identity of events from a span: the user from `user.id` / `enduser.id` (span first,
 * then resource), the session from `gen_ai.conversation.id` / `session.id`, the trace and the
 * parent span. The contract needs a user_id or an anonymous_id; spans rarely name their user, so
 * without one the anonymous_id is derived from the session (or else the trace): `otel:<id>`.
 */
export function spanIdentity(record: OtlpSpanRecord): Record<string, string> {
  const { span, resource } = record;
  const userId = stringAttr(span.attributes, ...USER_ID_KEYS) ?? stringAttr(resource, ...USER_ID_KEYS);
  const sessionId = stringAttr(span.attributes, ...SESSION_ID_KEYS) ?? stringAttr(resource, ...SESSION_ID_KEYS);
  const identity: Record<string, string> = userId ? { user_id: userId } : { anonymous_id: `otel:${sessionId ?? (span.traceId || 'unknown')}` };
  if (sessionId) identity.session_id = sessionId;
  if (span.traceId) identity.trace_id = span.traceId;
  return identity;
}

/**
 * The generation_id of a span's model call: the provider's response id (`gen_ai.response.id`,
 * e.g. `chatcmpl-…`), which the application also sees and can send feedback for; otherwise
 * `<trace id>-<span id>`.
 */
export function generationIdOf(record: OtlpSpanRecord): string {
  return stringAttr(record.span.attributes, 'gen_ai.response.id') ?? `${record.span.traceId}-${record.span.spanId}`;
}

/** RFC 3339 (millisecond precision) from Unix nanoseconds; undefined for 0 or out of range. */
export function isoFromNanos(nanos: bigint): string | undefined {
  const ms = Number(nanos / 1_000_000n);
  return nanos > 0n && ms < 8.64e15 ? new Date(ms).toISOString() : undefined;
}
