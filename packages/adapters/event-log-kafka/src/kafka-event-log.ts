import type { CompressionAlgorithmValue } from '@platformatic/kafka';
import type { AppendBatch, AppendOutcome, EventLog } from '@sluice/core';
import { appendRefusal, type GroupCommitObserver } from '@sluice/event-log-embedded';
import { roundOf } from './produce-round.ts';
import { startProducerThread } from './producer-thread.ts';
import { storageUnavailable, withDeadline } from './storage-unavailable.ts';

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
   * Longest an append waits for Kafka's acknowledgement, queueing included, before it rejects
   * (like Kafka's delivery.timeout.ms). Default 15000.
   */
  deliveryTimeoutMs?: number;
  /** Longest startup waits for the brokers and the topics before failing. Default 30000. */
  startupTimeoutMs?: number;
  /** Most events (accepted + quarantined) one produce round carries. Default 5000. */
  maxBatchEvents?: number;
  /** Events waiting or in flight beyond which `append` refuses with SLUICE_ERR_QUEUE_FULL. Default 100000. */
  maxQueuedEvents?: number;
  /**
   * Compression of produced record batches. Default lz4: it costs the producer less CPU than it
   * saves in bytes written to the socket, and the broker and landers handle a fifth of the bytes.
   */
  compression?: CompressionAlgorithmValue;
  /**
   * Idempotent producers, each with one produce round in flight (the client allows an idempotent
   * producer one request in flight). The next round goes to the first one free. Default 2.
   */
  producers?: number;
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
  compression: 'lz4' as CompressionAlgorithmValue,
  producers: 2,
};
/**
 * The scale-out EventLog: accepted events go to one Kafka topic, quarantined ones to another, and a
 * lander consumer group moves them into the warehouse. `append` resolves once Kafka acknowledged
 * every message with acks=all (all in-sync replicas have it), through an idempotent producer, so
 * the client's own retries inside one producer session do not write a message twice. Any error or
 * timeout rejects with SLUICE_ERR_STORAGE_UNAVAILABLE, also when part of the batch was written.
 *
 * Concurrent appends share produce rounds (a group commit with Kafka as the sink): each of
 * `producers` idempotent producers has one round in flight and everything that arrives meanwhile
 * goes in the next round of the first producer free. The client keeps an idempotent producer to
 * one request in flight, so rounds turn a queue of small requests into few large ones, and a
 * second producer builds its round while the first one's is on the wire. The events of one append
 * travel in one round, so their order within a session holds; appends that overlap in time had no
 * order.
 *
 * The producers and the rounds live on a thread of their own (producer-thread.ts): the ingest
 * thread hands each append over at once as a compact ProduceRound (the records without payloads,
 * the request bodies), and that thread gathers rounds, writes the lines from the bodies' bytes,
 * compresses and sends (docs/decisions/0011). Queue limits, shutdown and the delivery deadline
 * are kept here, on the ingest thread.
 *
 * Duplicates: unlike the warehouse, Kafka cannot tell at produce time that (source, eventId) was
 * seen before, so every entry of `duplicate` is false. A client that resends after a 503 or a lost
 * response writes the event again; the lander and the warehouse deduplicate (ClickHouse
 * ReplacingMergeTree keyed by (source, event_id) plus insert_deduplication_token per landed batch).
 */
export async function createKafkaEventLog(options: KafkaEventLogOptions, observer: GroupCommitObserver = {}): Promise<EventLog> {
  const settings: Settings = { ...defaults, ...withoutUndefined(options), brokers: options.brokers };
  const producerCount = Math.max(1, settings.producers);
  const thread = await startProducerThread({
    brokers: settings.brokers,
    clientId: settings.clientId,
    topic: settings.topic,
    quarantineTopic: settings.quarantineTopic,
    topicLayout: withoutUndefined({ partitions: settings.partitions, replicationFactor: settings.replicationFactor }),
    connectTimeoutMs: settings.connectTimeoutMs,
    requestTimeoutMs: settings.requestTimeoutMs,
    retries: settings.retries,
    startupTimeoutMs: settings.startupTimeoutMs,
    compression: settings.compression,
    producers: producerCount,
    maxBatchEvents: settings.maxBatchEvents,
  }, (report) => observer.onCommit?.(report));

  let queued = 0;
  let closing = false;
  const unanswered = new Set<Promise<unknown>>();

  function append(batch: AppendBatch): Promise<AppendOutcome> {
    const size = batch.events.length + batch.quarantine.length;
    const refusal = appendRefusal({ closing, queued, maxQueuedEvents: settings.maxQueuedEvents }, size);
    if (refusal) return Promise.reject(refusal);
    if (size === 0) return Promise.resolve({ duplicate: [] });
    queued += size;
    const { round, transfer } = roundOf(batch);
    const describeTimeout = () => `Kafka did not acknowledge the batch within ${settings.deliveryTimeoutMs} ms`;
    const answered = withDeadline(thread.append(round, transfer), settings.deliveryTimeoutMs, describeTimeout)
      .catch((error: unknown) => {
        throw storageUnavailable(error);
      })
      .finally(() => {
        queued -= size;
        unanswered.delete(answered);
      });
    unanswered.add(answered);
    // Not batch.events itself: the batch (the parsed payloads) is not held while Kafka answers.
    const accepted = batch.events.length;
    return answered.then(() => ({ duplicate: new Array<boolean>(accepted).fill(false) }));
  }

  return {
    kind: 'kafka',
    append,
    queuedEvents: () => queued,
    async close() {
      // Appends already handed over finish first (each bounded by deliveryTimeoutMs), so their callers get an answer.
      closing = true;
      await Promise.allSettled([...unanswered]);
      await thread.close();
    },
  };
}

type Settings = typeof defaults & KafkaEventLogOptions;

/** Drops keys whose value is undefined, so that `{ ...defaults, ...options }` keeps the defaults. */
function withoutUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
