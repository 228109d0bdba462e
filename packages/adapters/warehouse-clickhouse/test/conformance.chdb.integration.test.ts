import { runWarehouseConformance } from '@sluice/core/testing';
import { createChdbHarness } from './chdb-harness.ts';

runWarehouseConformance('ClickHouse (chdb)', createChdbHarness);
