import { SluiceError } from '@sluice/core';

/**
 * A batch's reservation on the sequence topic (docs/decisions/0006, "A second design"): the run
 * of offsets it lands, written to the one-partition sequence topic before the insert. The Kafka
 * offset the reservation gets numbers the batch; a reservation with no topic is padding (see
 * `paddingNeeded`).
 */
export interface Reservation {
  topic: string;
  partition: number;
  firstOffset: bigint;
  lastOffset: bigint;
  /** Items (events and quarantine rows) of the batch; never more than the span. */
  events: number;
}

/** A reservation as read back from the sequence topic, with the offset that numbers it. */
export interface PlacedReservation {
  offset: bigint;
  reservation: Reservation | undefined;
}

export const RESERVATION_SCHEMA = 'sluice-reservation/v1';

export function encodeReservation(r: Reservation | undefined): string {
  if (r === undefined) return JSON.stringify({ padding: true });
  return JSON.stringify({ topic: r.topic, partition: r.partition, first: r.firstOffset.toString(), last: r.lastOffset.toString(), events: r.events });
}

/** A message this lander cannot read (another version, or not a reservation) is treated as padding: it numbers nothing. */
export function decodeReservation(value: string): Reservation | undefined {
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    if (typeof parsed['topic'] !== 'string' || typeof parsed['partition'] !== 'number' || typeof parsed['first'] !== 'string'
      || typeof parsed['last'] !== 'string' || typeof parsed['events'] !== 'number') return undefined;
    return { topic: parsed['topic'], partition: parsed['partition'], firstOffset: BigInt(parsed['first']), lastOffset: BigInt(parsed['last']), events: parsed['events'] };
  } catch {
    return undefined;
  }
}

/** The numbers of one reservation's rows: item `index` of the batch reserved at `offset` gets `offset·span + index`. */
export function numberOf(offset: bigint, index: number, span: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= span) {
    throw new SluiceError('SLUICE_ERR_INTERNAL', `a batch of more than ${span} items cannot be numbered by one reservation (item ${index})`);
  }
  return Number(offset) * span + index;
}

/**
 * Padding reservations to write before the first real one, so that reservation numbers start
 * above every number already handed out in the warehouse (by the single-process counter of an
 * earlier version, or erased since): the first real reservation must be at an offset `o` with
 * `o·span > highest`, and never at offset 0 (the watermark `o·span − 1` would be negative).
 * `end` is the sequence topic's end offset (where the next reservation goes).
 */
export function paddingNeeded(end: bigint, highest: number, span: number): number {
  const firstUsable = BigInt(Math.floor(highest / span) + 1);
  return Number(firstUsable > end ? firstUsable - end : 0n);
}

/**
 * What to do after gaining partitions, from the reservations read off the sequence topic (from the
 * ledger's lowest unlanded offset on) that the ledger does not list as landed: those of partitions
 * this lander now owns are landed again (per partition in offset order); open padding numbers
 * nothing, so anyone may record it as landed.
 */
export function openReservationsOf(
  placed: readonly PlacedReservation[], landedAbove: readonly bigint[], owns: (topic: string, partition: number) => boolean,
): { reland: { offset: bigint; reservation: Reservation }[]; padding: bigint[] } {
  const landed = new Set(landedAbove);
  const reland: { offset: bigint; reservation: Reservation }[] = [];
  const padding: bigint[] = [];
  for (const { offset, reservation } of placed) {
    if (landed.has(offset)) continue;
    if (reservation === undefined) padding.push(offset);
    else if (owns(reservation.topic, reservation.partition)) reland.push({ offset, reservation });
  }
  reland.sort((a, b) => (a.reservation.firstOffset < b.reservation.firstOffset ? -1 : a.reservation.firstOffset > b.reservation.firstOffset ? 1 : 0));
  return { reland, padding };
}
