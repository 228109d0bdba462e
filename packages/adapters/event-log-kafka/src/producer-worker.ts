/*
 * The producer thread's entry (see producer-thread.ts): owns the Kafka producers, turns each
 * produce round into messages (lines spliced from the request bodies, event-lines.ts) and sends
 * them with acks=all. Everything here runs beside the ingest thread, not on it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Admin, ProduceAcks, Producer, stringSerializer, type BaseOptions, type Serializers } from '@platformatic/kafka';
import { SluiceError } from '@sluice/core';
import { ensureTopics } from './ensure-topics.ts';
import { lineMessages, quarantineJsonMessage, type OutgoingMessage } from './event-messages.ts';
import { lineSourcesOf, type ProduceRound } from './produce-round.ts';
import type { FromProducerThread, ProducerThreadSettings, ToProducerThread } from './producer-thread.ts';
import { splitBySize } from './split-by-size.ts';
import { describeKafkaError, withDeadline } from './storage-unavailable.ts';

const retryDelayMs = 500;
/** Well under the 1 MiB default max.message.bytes of a topic; see splitBySize. */
const maxRequestBytes = 512 * 1024;
/** UTF-8 bytes of one message value, so it fits one request. */
const maxValueBytes = 128 * 1024;

type EventLogProducer = Producer<string, string | Buffer, string, string>;
/** Keys and headers are text; values are already bytes (event lines) or text (quarantined events). */
const serializers: Serializers<string, string | Buffer, string, string> = {
  key: stringSerializer,
  value: (value) => (typeof value === 'string' ? Buffer.from(value) : value),
  headerKey: stringSerializer,
  headerValue: stringSerializer,
};

const port = parentPort!;
const settings = workerData as ProducerThreadSettings;
const post = (message: FromProducerThread) => port.postMessage(message);

const clientOptions: Omit<BaseOptions, 'clientId'> = {
  bootstrapBrokers: settings.brokers,
  connectTimeout: settings.connectTimeoutMs,
  timeout: settings.requestTimeoutMs,
  // The client turns 0 or 1 retries on an idempotent producer into "retry forever".
  retries: Math.max(2, settings.retries),
  retryDelay: retryDelayMs,
};
const producers: EventLogProducer[] = Array.from({ length: settings.producers }, (_, lane) => new Producer({
  ...clientOptions,
  clientId: `${settings.clientId}-event-log-${lane}`,
  serializers,
  idempotent: true,
  acks: ProduceAcks.ALL,
  autocreateTopics: false,
  compression: settings.compression,
}));

port.on('message', (message: ToProducerThread) => {
  if (message.type === 'produce') {
    produce(producers[message.lane]!, message.round).then(
      () => post({ type: 'done', id: message.id }),
      (error: unknown) => post({ type: 'done', id: message.id, error: describeKafkaError(error) }),
    );
  } else {
    void Promise.all(producers.map((producer) => producer.close().catch(() => undefined))).then(() => post({ type: 'closed' }));
  }
});

try {
  await connect();
  post({ type: 'ready' });
} catch (error) {
  await Promise.all(producers.map((producer) => producer.close(true).catch(() => undefined)));
  post({ type: 'failed', reason: error instanceof SluiceError ? error.message : describeKafkaError(error) });
}

async function produce(producer: EventLogProducer, round: ProduceRound): Promise<void> {
  const messages: Array<OutgoingMessage<string | Buffer>> = [
    ...lineMessages(settings.topic, lineSourcesOf(round), maxValueBytes),
    ...round.quarantine.map((json) => quarantineJsonMessage(settings.quarantineTopic, json)),
  ];
  // One request after the other: a session's events keep their order, and a failure stops the rest.
  for (const chunk of splitBySize(messages, maxRequestBytes)) await producer.send({ messages: chunk });
}

/** Creates missing topics and registers the idempotent producers. */
async function connect(): Promise<void> {
  const admin = new Admin({ ...clientOptions, clientId: `${settings.clientId}-event-log-admin` });
  const deadline = Date.now() + settings.startupTimeoutMs;
  const topics = [settings.topic, settings.quarantineTopic].map((name) => ({ name, ...settings.topicLayout }));
  try {
    await withDeadline(
      (async () => {
        await ensureTopics(admin, topics, deadline);
        for (const producer of producers) await producer.initIdempotentProducer({});
      })(),
      settings.startupTimeoutMs,
      () => `no answer within ${settings.startupTimeoutMs} ms`,
    );
  } finally {
    await admin.close().catch(() => undefined);
  }
}
