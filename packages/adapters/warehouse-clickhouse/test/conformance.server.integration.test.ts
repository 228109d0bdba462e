import { test } from 'node:test';
import { runWarehouseConformance } from '@sluice/core/testing';
import { SERVER_SKIP_REASON, SERVER_URL, createServerHarness } from './server-harness.ts';

// The Warehouse contract against a real ClickHouse server; see server-harness.ts.
if (SERVER_URL === '') {
  test('Warehouse conformance: ClickHouse (server)', { skip: SERVER_SKIP_REASON }, () => {});
} else {
  runWarehouseConformance('ClickHouse (server)', createServerHarness);
}
