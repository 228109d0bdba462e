import type { ClickHouseDatabase } from './database.ts';
import type { Tables } from './tables.ts';

/**
 * Numbers per reservation: a batch reserved at offset `o` of the sequence topic numbers its rows
 * `o·RESERVATION_SPAN + index` (docs/decisions/0006, "A second design"). 2^20 is far above any
 * batch (the lander checks its batch size against it) and leaves 2^33 reservations below 2^53.
 */
export const RESERVATION_SPAN = 2 ** 20;

/** Landed records kept past the floor before the ledger folds them into it. */
const COMPACT_EVERY = 256;

/** What `landed_reservations` says: every reservation below `lowestUnlanded` has landed, plus `landedAbove`. */
export interface LedgerState {
  lowestUnlanded: bigint;
  /** Landed reservations above `lowestUnlanded`, ascending (landed while a lower one is still open). */
  landedAbove: bigint[];
}

/**
 * The warehouse's side of the landers' reservations: which reservations have landed, and the
 * watermark that follows from it. Used by the lander (`record`, `state`) and by curation (`watermark`).
 */
export interface ReservationLedger {
  readonly span: number;
  /** The highest ingest_seq or quarantine_seq ever handed out here (stored or erased): reservation numbers must start above it. */
  highestNumber(): Promise<number>;
  /** Marks reservations as landed; idempotent. */
  record(offsets: readonly bigint[]): Promise<void>;
  state(): Promise<LedgerState>;
  /** Whether any lander has numbered by reservation here (the watermark then comes from the ledger). */
  inUse(): Promise<boolean>;
  /** `watermarkOf` the current state, or undefined while no lander numbers by reservation here. */
  watermark(): Promise<number | undefined>;
}

/** The lowest offset at or above `floor` that is not in `landed` (any order, duplicates allowed). */
export function ledgerStateOf(floor: bigint, landed: readonly bigint[]): LedgerState {
  const above = [...new Set(landed.filter((o) => o >= floor))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let lowest = floor;
  let i = 0;
  while (i < above.length && above[i] === lowest) {
    lowest++;
    i++;
  }
  return { lowestUnlanded: lowest, landedAbove: above.slice(i) };
}

/**
 * The watermark: every event numbered at or below it is stored. Reservation `lowestUnlanded` (and
 * every later one) numbers from `lowestUnlanded·span` up, so everything below is either stored or
 * a number no batch will ever use.
 */
export function watermarkOf(state: LedgerState, span: number = RESERVATION_SPAN): number {
  return Math.max(0, Number(state.lowestUnlanded) * span - 1);
}

/**
 * `landed_reservations` holds one row per landed reservation at or above the floor;
 * `landed_reservations_floor` the floor (every reservation below it landed). Every
 * COMPACT_EVERY records, the contiguous landed prefix is folded into the floor and its rows deleted,
 * so the table holds little more than the reservations landed past an open one.
 */
export function createReservationLedger(db: ClickHouseDatabase, tables: Tables): ReservationLedger {
  let recordsSinceCompaction = 0;

  async function floor(): Promise<bigint> {
    const [row] = await db.query<{ f: string }>('reservations: floor', `SELECT toString(max(floor)) AS f FROM ${tables.landedReservationsFloor}`);
    return BigInt(row?.f ?? '0');
  }

  /** Read again when another lander raised the floor meanwhile (its compaction deleted rows this read may have missed). */
  async function state(): Promise<LedgerState> {
    for (let from = await floor(); ;) {
      const rows = await db.query<{ o: string }>('reservations: landed',
        `SELECT toString(reservation) AS o FROM ${tables.landedReservations} WHERE reservation >= {from:UInt64} ORDER BY reservation`, { from: from.toString() });
      const after = await floor();
      if (after === from) return ledgerStateOf(from, rows.map((r) => BigInt(r.o)));
      from = after;
    }
  }

  async function inUse(): Promise<boolean> {
    const [row] = await db.query<{ n: number }>('reservations: in use',
      `SELECT (SELECT count() FROM ${tables.landedReservationsFloor}) + (SELECT count() FROM ${tables.landedReservations}) AS n`);
    return Number(row?.n ?? 0) > 0;
  }

  /** Floor first, rows after: a crash in between leaves rows below the floor, which nothing reads. */
  async function compact(): Promise<void> {
    const { lowestUnlanded } = await state();
    await db.insert('reservations: floor', tables.landedReservationsFloor, [{ floor: lowestUnlanded.toString() }], `floor-${lowestUnlanded}`);
    await db.mutate('reservations: compact', `DELETE FROM ${tables.landedReservations} WHERE reservation < {below:UInt64}`, { below: lowestUnlanded.toString() });
  }

  return {
    span: RESERVATION_SPAN,
    async highestNumber() {
      const [row] = await db.query<{ n: number }>('reservations: highest number',
        `SELECT greatest((SELECT max(ingest_seq) FROM ${tables.events}), (SELECT max(max_erased_seq) FROM ${tables.erasures}),
          (SELECT max(quarantine_seq) FROM ${tables.quarantine})) AS n`);
      return Number(row?.n ?? 0);
    },
    async record(offsets) {
      if (offsets.length === 0) return;
      const rows = offsets.map((o) => ({ reservation: o.toString() }));
      await db.insert('reservations: record', tables.landedReservations, rows, `landed-${offsets.join('-')}`);
      recordsSinceCompaction += offsets.length;
      if (recordsSinceCompaction >= COMPACT_EVERY) {
        recordsSinceCompaction = 0;
        await compact();
      }
    },
    state,
    inUse,
    watermark: async () => ((await inUse()) ? watermarkOf(await state(), RESERVATION_SPAN) : undefined),
  };
}
