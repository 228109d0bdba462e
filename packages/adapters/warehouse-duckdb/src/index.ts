export { createDuckDbWarehouse, type DuckDbWarehouse, type DuckDbWarehouseOptions, type MaterializationStatus } from './warehouse.ts';
