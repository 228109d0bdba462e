import { runCurationStoreConformance } from '@sluice/core/testing';
import { createChdbHarness } from './chdb-harness.ts';

// The CurationStore contract on chDB, in a temp directory of its own (chdb-harness.ts).
runCurationStoreConformance('ClickHouse (chdb)', createChdbHarness);
