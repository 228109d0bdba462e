export { createDuckDbWarehouse, type DuckDbWarehouseOptions } from './warehouse.ts';
