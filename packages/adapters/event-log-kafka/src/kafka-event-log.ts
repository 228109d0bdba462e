import { Admin, ProduceAcks, Producer, stringSerializers, type BaseOptions } from '@platformatic/kafka';
import { SluiceError, type AppendBatch, type EventLog } from '@sluice/core';
import { createGroupCommitEventLog, type GroupCommitObserver } from '@sluice/event-log-embedded';
import { ensureTopics } from './ensure-topics.ts';
import { eventMessage, quarantineMessage } from './event-messages.ts';
import { splitBySize } from './split-by-size.ts';
import { describeKafkaError, storageUnavailable, withDeadline } from './storage-unavailable.ts';

export interface KafkaEventLogOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  clientId?: string;
  /** Accepted events. Default `sluice.events.v1`. */
  topic?: string;
  /** Quarantined events. Default `sluice.quarantine.v1`. */
  quarantineTopic?: string;
  /** For topics created at startup; unset = the broker's num.partitions. */
  partitions?: number;
  /** For topics created at startup; unset = the broker's default.replication.factor. */
  replicationFactor?: number;
  /** One TCP connection attempt. Default 5000. */
  connectTimeoutMs?: number;
  /** One Kafka request, and the broker's wait for in-sync replicas (acks=all). Default 5000. */
  requestTimeoutMs?: number;
  /** Client retries per Kafka operation, 500 ms apart. Default 5; at least 2 (see below). */
  retries?: number;
  /**
   * Longest one produce round waits for Kafka's acknowledgement before its appends reject (like
   * Kafka's delivery.timeout.ms). An append queued behind a round in flight waits at most twice this.
   * Default 15000.
   */
  deliveryTimeoutMs?: number;
  /** Longest startup waits for the brokers and the topics before failing. Default 30000. */
  startupTimeoutMs?: number;
  /** Most events (accepted + quarantined) one produce round carries. Default 5000. */
  maxBatchEvents?: number;
  /** Events waiting or in flight beyond which `append` refuses with SLUICE_ERR_QUEUE_FULL. Default 100000. */
  maxQueuedEvents?: number;
}

const defaults = {
  clientId: 'sluice',
  topic: 'sluice.events.v1',
  quarantineTopic: 'sluice.quarantine.v1',
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 5_000,
  retries: 5,
  deliveryTimeoutMs: 15_000,
  startupTimeoutMs: 30_000,
  maxBatchEvents: 5_000,
  maxQueuedEvents: 100_000,
};
const retryDelayMs = 500;
/** Well under the 1 MiB default max.message.bytes of a topic; see splitBySize. */
const maxRequestBytes = 512 * 1024;

/**
 * The scale-out EventLog: accepted events go to one Kafka topic, quarantined ones to another, and a
 * lander consumer group moves them into the warehouse. `append` resolves once Kafka acknowledged
 * every message with acks=all (all in-sync replicas have it), through an idempotent producer, so
 * the client's own retries inside one producer session do not write a message twice. Any error or
 * timeout rejects with SLUICE_ERR_STORAGE_UNAVAILABLE, also when part of the batch was written.
 *
 * Concurrent appends share produce rounds (the embedded log's group commit, with Kafka as the
 * sink): one round is in flight at a time and everything that arrives meanwhile goes in the next.
 * An idempotent producer keeps one request in flight per broker anyway, so this turns a queue of
 * small requests into few large ones (measured on one local broker: ~6x the appends per second at 50 concurrent callers).
 *
 * Duplicates: unlike the warehouse, Kafka cannot tell at produce time that (source, eventId) was
 * seen before, so every entry of `duplicate` is false. A client that resends after a 503 or a lost
 * response writes the event again; the lander and the warehouse deduplicate (ClickHouse
 * ReplacingMergeTree keyed by (source, event_id) plus insert_deduplication_token per landed batch).
 */
export async function createKafkaEventLog(options: KafkaEventLogOptions, observer: GroupCommitObserver = {}): Promise<EventLog> {
  const settings: Settings = { ...defaults, ...withoutUndefined(options), brokers: options.brokers };
  const clientOptions: Omit<BaseOptions, 'clientId'> = {
    bootstrapBrokers: settings.brokers,
    connectTimeout: settings.connectTimeoutMs,
    timeout: settings.requestTimeoutMs,
    // The client turns 0 or 1 retries on an idempotent producer into "retry forever".
    retries: Math.max(2, settings.retries),
    retryDelay: retryDelayMs,
  };
  const producer = new Producer<string, string, string, string>({
    ...clientOptions,
    clientId: `${settings.clientId}-event-log`,
    serializers: stringSerializers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
  });

  await connect(settings, clientOptions, producer);

  async function produce(batch: AppendBatch): Promise<void> {
    const messages = [
      ...batch.events.map((event) => eventMessage(settings.topic, event)),
      ...batch.quarantine.map((event) => quarantineMessage(settings.quarantineTopic, event)),
    ];
    // One request after the other: a session's events keep their order, and a failure stops the rest.
    for (const chunk of splitBySize(messages, maxRequestBytes)) await producer.send({ messages: chunk });
  }

  const kafkaSink = {
    async append(batch: AppendBatch) {
      const describeTimeout = () => `Kafka did not acknowledge the batch within ${settings.deliveryTimeoutMs} ms`;
      await withDeadline(produce(batch), settings.deliveryTimeoutMs, describeTimeout).catch((error: unknown) => {
        throw storageUnavailable(error);
      });
      return { duplicate: batch.events.map(() => false) };
    },
  };
  const rounds = createGroupCommitEventLog(kafkaSink, { maxBatchEvents: settings.maxBatchEvents, maxQueuedEvents: settings.maxQueuedEvents }, observer);

  return {
    kind: 'kafka',
    append: rounds.append,
    queuedEvents: rounds.queuedEvents,
    async close() {
      // Queued rounds finish first (each bounded by deliveryTimeoutMs), so their callers get an answer.
      await rounds.close();
      await producer.close();
    },
  };
}

type Settings = typeof defaults & KafkaEventLogOptions;

/** Creates missing topics and registers the idempotent producer, or fails naming the brokers. */
async function connect(settings: Settings, clientOptions: Omit<BaseOptions, 'clientId'>, producer: Producer<string, string, string, string>): Promise<void> {
  const admin = new Admin({ ...clientOptions, clientId: `${settings.clientId}-event-log-admin` });
  const deadline = Date.now() + settings.startupTimeoutMs;
  const topics = [settings.topic, settings.quarantineTopic].map((name) => ({
    name,
    ...withoutUndefined({ partitions: settings.partitions, replicationFactor: settings.replicationFactor }),
  }));
  try {
    await withDeadline(
      (async () => {
        await ensureTopics(admin, topics, deadline);
        await producer.initIdempotentProducer({});
      })(),
      settings.startupTimeoutMs,
      () => `no answer within ${settings.startupTimeoutMs} ms`,
    );
  } catch (error) {
    await producer.close(true).catch(() => undefined);
    const reason = error instanceof SluiceError ? error.message : describeKafkaError(error);
    throw new SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE', `Kafka is unavailable at ${settings.brokers.join(', ')}: ${reason}`, { cause: error });
  } finally {
    await admin.close().catch(() => undefined);
  }
}

/** Drops keys whose value is undefined, so that `{ ...defaults, ...options }` keeps the defaults. */
function withoutUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
