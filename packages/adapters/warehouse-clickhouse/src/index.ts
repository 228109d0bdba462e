export {
  createClickHouseWarehouse,
  type ClickHouseAppendOptions,
  type ClickHouseWarehouse,
  type ClickHouseWarehouseClientOptions,
  type ClickHouseWarehouseOptions,
  type ClickHouseWarehouseServerOptions,
} from './warehouse.ts';
export type { QueryTiming } from './database.ts';
export { ledgerStateOf, RESERVATION_SPAN, watermarkOf, type LedgerState, type ReservationLedger } from './reservation-ledger.ts';
