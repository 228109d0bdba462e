import { randomUUID } from 'node:crypto';
import { Consumer, ListOffsetTimestamps, MessagesStreamModes, stringDeserializers } from '@platformatic/kafka';
import type { LanderMessage } from './consumption.ts';

/** A run that does not arrive in this long is given up (the caller reads it again later). */
const READ_TIMEOUT_MS = 60_000;

export interface OffsetReaderOptions {
  brokers: string[];
  clientId: string;
  /** Prefix of the throwaway groups the reads join (the client joins a group to consume). */
  groupId: string;
}

/** Reads runs of offsets of one partition, outside the lander's consumer group. */
export interface OffsetReader {
  /** The offset after the last message of the partition. */
  end(topic: string, partition: number): Promise<bigint>;
  /** Messages from `from` up to `until` (exclusive), in order; fewer when Kafka no longer has some. */
  read(topic: string, partition: number, from: bigint, until: bigint): Promise<LanderMessage[]>;
  close(): Promise<void>;
}

/**
 * The lander reads its group's partitions through the group; what it must read besides (the
 * sequence topic, and the messages of a reservation another lander left open, behind the committed
 * offset) goes through a consumer of its own, in MANUAL mode from the wanted offset. The client
 * joins a group even then: each read uses a group of its own that commits nothing.
 */
export function createOffsetReader(options: OffsetReaderOptions): OffsetReader {
  const lister = new Consumer({ clientId: `${options.clientId}-offsets`, groupId: `${options.groupId}-offsets`, bootstrapBrokers: options.brokers });

  async function offsetAt(topic: string, partition: number, timestamp: bigint): Promise<bigint> {
    const offsets = await lister.listOffsets({ topics: [topic], partitions: { [topic]: [partition] }, timestamp });
    return offsets.get(topic)?.[partition] ?? 0n;
  }
  const end = (topic: string, partition: number) => offsetAt(topic, partition, ListOffsetTimestamps.LATEST);

  async function read(topic: string, partition: number, from: bigint, until: bigint): Promise<LanderMessage[]> {
    const last = await end(topic, partition);
    const stop = until < last ? until : last;
    // Offsets retention deleted are gone: read what is left of the run.
    const logStart = await offsetAt(topic, partition, ListOffsetTimestamps.EARLIEST);
    const start = from < logStart ? logStart : from;
    if (start >= stop) return [];
    const consumer = new Consumer({
      clientId: `${options.clientId}-reader`, groupId: `${options.groupId}-reader-${randomUUID()}`, bootstrapBrokers: options.brokers,
      deserializers: stringDeserializers, autocommit: false,
    });
    try {
      const stream = await consumer.consume({
        topics: [topic], mode: MessagesStreamModes.MANUAL, offsets: [{ topic, partition, offset: start }], autocommit: false, maxWaitTime: 500,
      });
      const messages: LanderMessage[] = [];
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        stream.close().catch(() => undefined); // ends the loop below
      }, READ_TIMEOUT_MS);
      try {
        for await (const message of stream as AsyncIterable<LanderMessage>) {
          if (message.partition !== partition) continue;
          if (message.offset >= start && message.offset < stop) messages.push(message);
          if (message.offset >= stop - 1n) break;
        }
      } finally {
        clearTimeout(timer);
        await stream.close().catch(() => undefined);
      }
      if (timedOut) throw new Error(`reading ${topic}:${partition} from ${start} to ${stop} took over ${READ_TIMEOUT_MS} ms`);
      return messages;
    } finally {
      await consumer.close(true).catch(() => undefined);
    }
  }

  return { end, read, close: () => lister.close(true) };
}
