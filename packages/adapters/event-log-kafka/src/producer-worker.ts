/*
 * The producer thread's entry (see producer-thread.ts): owns the Kafka producers, gathers the
 * appends it is handed into produce rounds, turns each round into messages (lines spliced from
 * the request bodies, event-lines.ts) and sends them with acks=all. Everything here runs beside
 * the ingest thread, not on it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Admin, ProduceAcks, Producer, stringSerializer, type BaseOptions, type Serializers } from '@platformatic/kafka';
import { SluiceError } from '@sluice/core';
import { ensureTopics } from './ensure-topics.ts';
import { ByteWriter } from './byte-writer.ts';
import { lineMessages, quarantineJsonMessage, type OutgoingMessage } from './event-messages.ts';
import type { ProduceRound } from './produce-round.ts';
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

/**
 * One line buffer per producer, reused round after round: a producer has one round in flight, and
 * the client is done with a round's values once its send resolved.
 */
const lineBuffers = producers.map(() => new ByteWriter(1 << 20));
/** Where a round's bodies and texts are written as bytes while its lines are written (synchronously, so one for all). */
const scratch = new ByteWriter(1 << 20);

/** Appends waiting for a producer, oldest first, and the producers with no round in flight. */
const queue: Array<{ id: number; round: ProduceRound }> = [];
const idle = producers.map((_, lane) => lane);

port.on('message', (message: ToProducerThread) => {
  if (message.type === 'append') {
    queue.push({ id: message.id, round: message.round });
    startRounds();
  } else {
    void Promise.all(producers.map((producer) => producer.close().catch(() => undefined))).then(() => post({ type: 'closed' }));
  }
});

/**
 * Group commit with Kafka as the sink: every idle producer takes what is waiting (up to
 * maxBatchEvents) as one round; appends that arrive meanwhile wait for the next free producer.
 * Each producer has one round in flight (the client allows an idempotent producer one request in
 * flight), and all events of one append travel in one round, so a request's order holds.
 */
function startRounds(): void {
  while (idle.length > 0 && queue.length > 0) {
    const lane = idle.shift()!;
    const group = [queue.shift()!];
    let size = sizeOf(group[0]!.round);
    while (queue.length > 0 && size + sizeOf(queue[0]!.round) <= settings.maxBatchEvents) {
      const next = queue.shift()!;
      size += sizeOf(next.round);
      group.push(next);
    }
    const ids = group.map((g) => g.id);
    const started = performance.now();
    const report = (ok: boolean) => ({ requests: group.length, events: size, durationMs: performance.now() - started, ok });
    produce(lane, group.map((g) => g.round)).then(
      () => post({ type: 'done', ids, report: report(true) }),
      (error: unknown) => post({ type: 'done', ids, error: describeKafkaError(error), report: report(false) }),
    ).finally(() => {
      idle.push(lane);
      startRounds();
    });
  }
}

function sizeOf(round: ProduceRound): number {
  return round.count + round.quarantine.length;
}

try {
  await connect();
  post({ type: 'ready' });
} catch (error) {
  await Promise.all(producers.map((producer) => producer.close(true).catch(() => undefined)));
  post({ type: 'failed', reason: error instanceof SluiceError ? error.message : describeKafkaError(error) });
}

async function produce(lane: number, rounds: readonly ProduceRound[]): Promise<void> {
  const producer = producers[lane]!;
  const lineBuffer = lineBuffers[lane]!;
  lineBuffer.rewind();
  const messages: Array<OutgoingMessage<string | Buffer>> = [
    ...lineMessages(settings.topic, rounds, maxValueBytes, lineBuffer, scratch),
    ...rounds.flatMap((round) => round.quarantine.map((json) => quarantineJsonMessage(settings.quarantineTopic, json))),
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
