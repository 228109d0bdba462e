import { setTimeout as sleep } from 'node:timers/promises';
import { Admin, findErrorBy, ProduceAcks, Producer, stringSerializers } from '@platformatic/kafka';
import { createOffsetReader, type OffsetReader } from './offset-reader.ts';
import { decodeReservation, encodeReservation, RESERVATION_SCHEMA, type PlacedReservation, type Reservation } from './reservations.ts';

export interface SequenceTopicOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  topic: string;
  /** Unset: the broker's default.replication.factor. */
  replicationFactor: number | undefined;
  /** Longest `openSequenceTopic` waits for the topic's leader. */
  startupTimeoutMs: number;
}

/**
 * The sequence topic: one partition, written only by landers, through an idempotent producer with
 * acks=all. A reservation's offset numbers its batch, so the topic must keep every reservation the
 * ledger has not recorded as landed: it is created with unlimited retention.
 */
export interface SequenceTopic {
  /** Writes the reservation (undefined: padding); resolves with the offset Kafka gave it. */
  reserve(reservation: Reservation | undefined): Promise<bigint>;
  /** The offset the next reservation will get (or a later one). */
  end(): Promise<bigint>;
  /** Every reservation from `from` to the end, in offset order. */
  readFrom(from: bigint): Promise<PlacedReservation[]>;
  /** Reads runs of other topics' offsets (the messages of an open reservation). */
  readonly reader: OffsetReader;
  close(): Promise<void>;
}

export async function openSequenceTopic(options: SequenceTopicOptions): Promise<SequenceTopic> {
  const clientOptions = { bootstrapBrokers: options.brokers };
  const admin = new Admin({ ...clientOptions, clientId: `${options.clientId}-seq-admin` });
  try {
    await ensureSequenceTopic(admin, options);
  } finally {
    await admin.close().catch(() => undefined);
  }
  const producer = new Producer({
    ...clientOptions, clientId: `${options.clientId}-seq`, serializers: stringSerializers, idempotent: true, acks: ProduceAcks.ALL, autocreateTopics: false,
    // The client turns 0 or 1 retries on an idempotent producer into "retry forever".
    retries: 3,
  });
  const reader = createOffsetReader({ brokers: options.brokers, clientId: options.clientId, groupId: `${options.groupId}-seq` });
  return {
    reader,
    async reserve(reservation) {
      const result = await producer.send({
        messages: [{ topic: options.topic, partition: 0, value: encodeReservation(reservation), headers: { 'sluice-schema': RESERVATION_SCHEMA } }],
      });
      const offset = result.offsets?.find((o) => o.topic === options.topic)?.offset;
      if (offset === undefined) throw new Error(`the broker gave no offset for a reservation on ${options.topic}`);
      return offset;
    },
    end: () => reader.end(options.topic, 0),
    async readFrom(from) {
      const messages = await reader.read(options.topic, 0, from, await reader.end(options.topic, 0));
      return messages.map((m) => ({ offset: m.offset, reservation: decodeReservation(m.value) }));
    },
    async close() {
      await producer.close().catch(() => undefined);
      await reader.close().catch(() => undefined);
    },
  };
}

async function ensureSequenceTopic(admin: Admin, options: SequenceTopicOptions): Promise<void> {
  if (!(await admin.listTopics()).includes(options.topic)) {
    try {
      await admin.createTopics({
        topics: [options.topic], partitions: 1,
        ...(options.replicationFactor === undefined ? {} : { replicas: options.replicationFactor }),
        configs: [{ name: 'retention.ms', value: '-1' }, { name: 'retention.bytes', value: '-1' }, { name: 'cleanup.policy', value: 'delete' }],
      });
    } catch (error) {
      // Another lander created it between our list and our create: that is the goal.
      if (!findErrorBy(error as Error, 'apiId', 'TOPIC_ALREADY_EXISTS')) throw error;
    }
  }
  const deadline = Date.now() + options.startupTimeoutMs;
  for (;;) {
    const metadata = await admin.metadata({ topics: [options.topic], forceUpdate: true }).catch(() => undefined);
    const partitions = metadata?.topics.get(options.topic)?.partitions;
    if (partitions !== undefined && partitions.length > 0 && partitions.every((p) => p.leader >= 0)) return;
    if (Date.now() >= deadline) throw new Error(`the sequence topic ${options.topic} has no leader yet`);
    await sleep(100);
  }
}
