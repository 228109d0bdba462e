import { setTimeout as sleep } from 'node:timers/promises';
import {
  Consumer, ListOffsetTimestamps, MessagesStreamFallbackModes, MessagesStreamModes, stringDeserializers,
  type CommitOptionsPartition, type Message, type MessagesStream,
} from '@platformatic/kafka';
import type { ResolvedLanderOptions } from './options.ts';

export type LanderConsumer = Consumer<string, string, string, string>;
export type LanderMessage = Message<string, string, string, string>;

/**
 * Compressed bytes per partition per fetch. Without a limit a fetch of a backlog returned ~1 MB
 * per partition, which the client took 150-200 ms to decode (lz4, records) before the first
 * message; at 256 KiB the first message arrived 100-300 ms sooner (docs/decisions/0012).
 */
const FETCH_BYTES_PER_PARTITION = 256 * 1024;

/** One consumer group membership and its message stream; replaced as a whole after a failure. */
export interface Consumption {
  consumer: LanderConsumer;
  stream: MessagesStream<string, string, string, string>;
  /** Where a newly assigned partition must start: the group's committed offset, else the log start. */
  startOffset(topic: string, partition: number): Promise<bigint>;
  /** The oldest offset Kafka still has for a partition (retention deletes older ones). */
  logStartOffset(topic: string, partition: number): Promise<bigint>;
  /** The offset after the last message Kafka has for a partition (its end, for this reader). */
  endOffset(topic: string, partition: number): Promise<bigint>;
  commit(offsets: CommitOptionsPartition[]): Promise<void>;
  /** Leaves the group and closes the connections. */
  close(): Promise<void>;
}

/**
 * Joins the group and opens the stream of both topics. Offsets are never committed by the
 * client (`autocommit: false`): the lander commits a batch's offsets itself, after the warehouse
 * has it. A partition the group never committed is read from its earliest offset, so events
 * produced before the first lander started are landed too.
 */
export async function openConsumption(options: ResolvedLanderOptions, onRebalance: () => void, cancel?: AbortSignal): Promise<Consumption> {
  const topics = [options.topic, options.quarantineTopic];
  const consumer: LanderConsumer = new Consumer({
    clientId: `${options.clientId}-lander`,
    groupId: options.groupId,
    bootstrapBrokers: options.brokers,
    deserializers: stringDeserializers,
    autocommit: false,
    sessionTimeout: options.sessionTimeoutMs,
    heartbeatInterval: Math.min(3000, Math.floor(options.sessionTimeoutMs / 3)),
    rebalanceTimeout: Math.max(options.sessionTimeoutMs, 60_000),
  });
  try {
    await waitForTopics(consumer, topics, Date.now() + options.startupTimeoutMs, cancel);
    consumer.on('consumer:group:join', onRebalance);
    const stream = await consumer.consume({
      topics,
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: MessagesStreamFallbackModes.EARLIEST,
      autocommit: false,
      // The broker answers a fetch as soon as it has data, or after this long without; short, so a
      // stop or a rebalance never waits on a long poll even when batches wait longer.
      maxWaitTime: Math.min(options.maxWaitMs, 1000),
      // Prefetch while the previous batch is being landed (messages, each one or more events).
      highWaterMark: options.maxBatchEvents,
      // The client decodes a whole fetch response before handing out its first message, in one go:
      // small responses let the first batch start sooner and never hold up the event loop for long.
      maxBytesPerPartition: FETCH_BYTES_PER_PARTITION,
    });
    const logStartOffset = async (topic: string, partition: number): Promise<bigint> => {
      const earliest = await consumer.listOffsets({ topics: [topic], partitions: { [topic]: [partition] }, timestamp: ListOffsetTimestamps.EARLIEST });
      return earliest.get(topic)?.[partition] ?? 0n;
    };
    return {
      consumer,
      stream,
      async startOffset(topic, partition) {
        const committed = (await consumer.listCommittedOffsets({ topics: [{ topic, partitions: [partition] }] })).get(topic)?.[partition] ?? -1n;
        return committed >= 0n ? committed : logStartOffset(topic, partition);
      },
      logStartOffset,
      async endOffset(topic, partition) {
        const latest = await consumer.listOffsets({ topics: [topic], partitions: { [topic]: [partition] }, timestamp: ListOffsetTimestamps.LATEST });
        return latest.get(topic)?.[partition] ?? 0n;
      },
      commit: (offsets) => consumer.commit({ offsets }),
      async close() {
        consumer.removeListener('consumer:group:join', onRebalance);
        await stream.close().catch(() => undefined);
        await consumer.close();
      },
    };
  } catch (error) {
    consumer.removeListener('consumer:group:join', onRebalance);
    await consumer.close(true).catch(() => undefined);
    throw error;
  }
}

/**
 * The lander does not create topics: their partition count and replication are chosen where events
 * are produced (the Kafka event log creates them at startup). Until they exist it waits.
 */
async function waitForTopics(consumer: LanderConsumer, topics: readonly string[], deadline: number, cancel: AbortSignal | undefined): Promise<void> {
  for (;;) {
    cancel?.throwIfAborted();
    // A fresh array each time: the client sorts the `topics` array it is given in place.
    const metadata = await consumer.metadata({ topics: [...topics], forceUpdate: true }).catch(() => undefined);
    const missing = topics.filter((name) => {
      const topic = metadata?.topics.get(name);
      return topic === undefined || topic.partitions.length === 0 || topic.partitions.some((p) => p.leader < 0);
    });
    if (missing.length === 0) return;
    if (Date.now() >= deadline) {
      const reason = metadata === undefined ? 'no broker answered' : `topic(s) ${missing.join(', ')} do not exist or have no leader yet (the Kafka event log creates them when ingest starts)`;
      throw new Error(reason);
    }
    await sleep(250, undefined, cancel === undefined ? {} : { signal: cancel });
  }
}
