import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Admin, Consumer, MessagesStreamModes, stringDeserializers } from '@platformatic/kafka';
import { eventLinesOf, SCHEMA_HEADER } from '../src/event-messages.ts';

/** Set by CI after `bash .ci/services/kafka.sh start`; the integration tests skip without it. */
export const kafkaBrokers = process.env['KAFKA_BROKERS']?.split(',').filter((b) => b.length > 0) ?? [];
export const skipWithoutKafka = kafkaBrokers.length === 0 ? 'KAFKA_BROKERS not set' : false;

/** Topic names no other run or test shares, so tests need no cleanup and never read stale data. */
export function uniqueTopics(): { topic: string; quarantineTopic: string } {
  const run = `${Date.now()}-${randomUUID().slice(0, 8)}`;
  return { topic: `test.events.${run}`, quarantineTopic: `test.quarantine.${run}` };
}

export interface ReadMessage {
  partition: number;
  offset: bigint;
  key: string | undefined;
  value: string;
  headers: Map<string, string>;
}

/** One event of the events topic, with the message it travelled in. */
export interface ReadEvent extends ReadMessage {
  /** Its line in the message. */
  line: number;
  /** The event's JSON text (its line). */
  text: string;
}

/** Reads messages of the events topic from the beginning until they hold `count` events. */
export async function readEvents(topic: string, count: number, timeoutMs = 20_000): Promise<ReadEvent[]> {
  const linesOf = (m: ReadMessage) => eventLinesOf(m.value, m.headers.get(SCHEMA_HEADER));
  const messages = await readMessages(topic, count, timeoutMs, (m) => linesOf(m).length);
  return messages.flatMap((m) => linesOf(m).map((text, line) => ({ ...m, line, text })));
}

/**
 * Reads the first messages of a topic from the beginning, as a fresh consumer group, until
 * `count` is reached (of messages, or of what `weight` counts in each).
 */
export async function readMessages(topic: string, count: number, timeoutMs = 20_000, weight: (m: ReadMessage) => number = () => 1): Promise<ReadMessage[]> {
  const consumer = new Consumer({
    clientId: 'sluice-test-reader',
    groupId: `sluice-test-${randomUUID()}`,
    bootstrapBrokers: kafkaBrokers,
    deserializers: stringDeserializers,
  });
  const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false, maxWaitTime: 200 });
  const messages: ReadMessage[] = [];
  let counted = 0;
  const timer = setTimeout(() => stream.destroy(new Error(`read ${messages.length} of ${count} messages from ${topic} within ${timeoutMs} ms`)), timeoutMs);
  try {
    for await (const message of stream) {
      // A message without a key arrives as an empty key; undefined says "no key" the same way the producer did.
      const read = { partition: message.partition, offset: message.offset, key: message.key || undefined, value: message.value ?? '', headers: message.headers };
      messages.push(read);
      counted += weight(read);
      if (counted >= count) break;
    }
  } finally {
    clearTimeout(timer);
    await stream.close().catch(() => undefined);
    await consumer.close(true);
  }
  return messages;
}

export async function describeTopics(topics: string[]): Promise<Map<string, { partitions: number }>> {
  const admin = new Admin({ clientId: 'sluice-test-admin', bootstrapBrokers: kafkaBrokers });
  try {
    const metadata = await admin.metadata({ topics: [...topics], forceUpdate: true });
    return new Map(topics.map((name) => [name, { partitions: metadata.topics.get(name)?.partitionsCount ?? 0 }]));
  } finally {
    await admin.close();
  }
}

/**
 * A port pair (broker, controller) for a broker a test starts itself. Picked below the kernel's
 * ephemeral range (32768 and up on Linux), where the outgoing connections of other tests running
 * at the same time take their local ports: a pair picked there was once taken between the pick
 * and the broker's bind. Both ports are checked free before they are returned.
 */
export async function privateBrokerPorts(): Promise<{ port: number; controllerPort: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + 2 * Math.floor(Math.random() * 6_000);
    if ((await canListen(port)) && (await canListen(port + 1))) return { port, controllerPort: port + 1 };
  }
  throw new Error('no free port pair between 20000 and 32000');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
