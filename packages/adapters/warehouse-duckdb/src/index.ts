export { createDuckDbWarehouse, type DuckDbWarehouse, type DuckDbWarehouseOptions } from './warehouse.ts';
