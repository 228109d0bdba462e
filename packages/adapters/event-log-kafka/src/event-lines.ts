import type { IngestedEvent } from '@sluice/core';

/**
 * One line of an `ingested-event-lines/v1` message: the JSON of an IngestedEvent record. When the
 * client's bytes of the payload are at hand, the line is `head` (the record's JSON up to and
 * including `"payload":`), then those bytes, then `}`; otherwise `head` is the whole record's JSON
 * and `payload` is null. Splicing the client's bytes skips serialising the payload again and the
 * UTF-8 decode and encode around it: the payload is most of an event's bytes.
 */
export interface EventLine {
  head: string;
  payload: Uint8Array | null;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const CLOSE_BRACE = 0x7d;

export function eventLine(event: IngestedEvent, payload: Uint8Array | null): EventLine {
  return payload === null ? { head: JSON.stringify(event), payload } : { head: envelopeHead(event), payload };
}

/**
 * The record's JSON without its payload, fields in the order of the IngestedEvent type (the order
 * JSON.stringify gives for records built by the ingest service), ending with `"payload":`.
 * ENVELOPE_FIELDS lists every field but the payload; the type below fails to compile when
 * IngestedEvent gains a field this function does not write.
 */
function envelopeHead(e: IngestedEvent): string {
  return `{"eventId":${text(e.eventId)},"tenant":${text(e.tenant)},"source":${text(e.source)},"type":${text(e.type)}`
    + `,"occurredAt":${num(e.occurredAt)},"sentAt":${num(e.sentAt)},"receivedAt":${num(e.receivedAt)},"timestamp":${num(e.timestamp)}`
    + `,"userId":${text(e.userId)},"anonymousId":${text(e.anonymousId)},"sessionId":${text(e.sessionId)}`
    + `,"traceId":${text(e.traceId)},"parentId":${text(e.parentId)},"clientIp":${text(e.clientIp)},"payload":`;
}

export const ENVELOPE_FIELDS = [
  'eventId', 'tenant', 'source', 'type', 'occurredAt', 'sentAt', 'receivedAt', 'timestamp',
  'userId', 'anonymousId', 'sessionId', 'traceId', 'parentId', 'clientIp',
] as const satisfies ReadonlyArray<keyof IngestedEvent>;
type Unwritten = Exclude<keyof IngestedEvent, (typeof ENVELOPE_FIELDS)[number] | 'payload'>;
const everyFieldWritten: [Unwritten] extends [never] ? true : Unwritten = true;
void everyFieldWritten;

const text = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value));
/** As JSON.stringify writes a number: NaN and infinities become null. */
const num = (value: number | null): string => (value !== null && Number.isFinite(value) ? String(value) : 'null');

/**
 * Characters of the head plus bytes of the payload: the size used to cut messages, exact for an
 * ASCII head (ids and names almost always are) and at most 3x off otherwise, like the cut itself.
 */
export function lineSize(line: EventLine): number {
  return line.head.length + (line.payload === null ? 0 : line.payload.length + 1);
}

/**
 * The UTF-8 bytes of the lines, one per line (`\n` between them). A raw line feed or carriage
 * return inside a payload can only be JSON whitespace (JSON strings hold them escaped), so it
 * becomes a space and the payload keeps its meaning on one line.
 */
export function encodeLines(lines: readonly EventLine[]): Buffer {
  let bound = 0;
  for (const line of lines) bound += 3 * line.head.length + (line.payload === null ? 0 : line.payload.length + 1) + 1;
  const out = Buffer.allocUnsafe(bound);
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    const { head, payload } = lines[i]!;
    if (i > 0) out[at++] = LF;
    at += out.write(head, at);
    if (payload === null) continue;
    out.set(payload, at);
    if (payload.indexOf(LF) >= 0 || payload.indexOf(CR) >= 0) blankLineBreaks(out, at, at + payload.length);
    at += payload.length;
    out[at++] = CLOSE_BRACE;
  }
  return out.subarray(0, at);
}

function blankLineBreaks(bytes: Uint8Array, from: number, to: number): void {
  for (let i = from; i < to; i++) if (bytes[i] === LF || bytes[i] === CR) bytes[i] = SPACE;
}
