export {
  createClickHouseWarehouse,
  type ClickHouseAppendOptions,
  type ClickHouseWarehouse,
  type ClickHouseWarehouseClientOptions,
  type ClickHouseWarehouseOptions,
  type ClickHouseWarehouseServerOptions,
} from './warehouse.ts';
export type { QueryTiming } from './database.ts';
