import { decodeRecord, type KafkaRecord } from './decode-records.ts';
import type { LandedReservations } from './options.ts';
import type { PartitionBatch } from './partition-buffers.ts';
import { openReservationsOf } from './reservations.ts';
import type { SequenceTopic } from './sequence-topic.ts';

export interface OpenReservations {
  /** Batches to land again under their reservation, per partition in offset order. */
  batches: PartitionBatch[];
  /** Open reservations that number nothing (padding) or can no longer be landed (Kafka deleted their messages): record them as landed. */
  padding: bigint[];
}

/**
 * After gaining partitions: the reservations other landers produced and never recorded as landed
 * (they died, or lost the partition, between reserving and recording), rebuilt as batches from
 * the same Kafka messages so that they land with the same numbers and the same insert token.
 * ClickHouse drops the copy when the first insert had succeeded; otherwise this one stores it.
 * Reservations this lander is landing itself (`inFlight`) are left to it.
 */
export async function findOpenReservations(deps: {
  sequence: Pick<SequenceTopic, 'readFrom' | 'reader'>;
  ledger: Pick<LandedReservations, 'state'>;
  owns: (topic: string, partition: number) => boolean;
  inFlight: ReadonlySet<bigint>;
  quarantineTopic: string;
}): Promise<OpenReservations> {
  const state = await deps.ledger.state();
  const placed = await deps.sequence.readFrom(state.lowestUnlanded);
  const { reland, padding } = openReservationsOf(placed, state.landedAbove, deps.owns);
  const batches: PartitionBatch[] = [];
  for (const { offset, reservation } of reland) {
    if (deps.inFlight.has(offset)) continue;
    const messages = await deps.sequence.reader.read(reservation.topic, reservation.partition, reservation.firstOffset, reservation.lastOffset + 1n);
    const records: KafkaRecord[] = messages.map((m) => ({ topic: m.topic, partition: m.partition, offset: m.offset, timestamp: m.timestamp, value: m.value, headers: m.headers }));
    // Kafka no longer has (all) its messages (retention): landing what is left would shift item
    // indices, so numbers, against a first insert that may have happened; it is closed instead.
    if (records[0]?.offset !== reservation.firstOffset || records.at(-1)!.offset !== reservation.lastOffset) {
      padding.push(offset);
      continue;
    }
    batches.push({
      topic: reservation.topic, partition: reservation.partition, records, items: records.flatMap((record) => decodeRecord(record, deps.quarantineTopic)),
      leaderEpoch: -1, reservation: offset,
    });
  }
  return { batches, padding };
}
