import type { OutgoingMessage } from './event-messages.ts';

/**
 * Splits one append into produce requests of at most `maxBytes` (approximate encoded size).
 * Kafka refuses a record batch larger than the topic's max.message.bytes (1 MiB by default), and
 * the client puts all of one request's messages for a partition into one batch: a 5 MB ingest
 * request from a single session would otherwise fail forever. A single larger message still goes
 * alone and fails, which is the broker's limit to raise, not something splitting can fix.
 */
export function splitBySize<M extends OutgoingMessage<string | Buffer>>(messages: readonly M[], maxBytes: number): M[][] {
  const chunks: M[][] = [];
  let current: M[] = [];
  let currentBytes = 0;
  for (const message of messages) {
    const bytes = approximateSize(message);
    if (current.length > 0 && currentBytes + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(message);
    currentBytes += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Key, value and headers in UTF-8 plus a record's fixed overhead (varints, attributes, timestamps). */
function approximateSize(message: OutgoingMessage<string | Buffer>): number {
  let bytes = 24 + Buffer.byteLength(message.value) + (message.key === undefined ? 0 : Buffer.byteLength(message.key));
  for (const [name, value] of Object.entries(message.headers)) bytes += 4 + Buffer.byteLength(name) + Buffer.byteLength(value);
  return bytes;
}
