import { test } from 'node:test';
import { runCurationStoreConformance } from '@sluice/core/testing';
import { SERVER_SKIP_REASON, SERVER_URL, createServerHarness } from './server-harness.ts';

// The CurationStore contract against a real ClickHouse server; see server-harness.ts.
if (SERVER_URL === '') {
  test('CurationStore conformance: ClickHouse (server)', { skip: SERVER_SKIP_REASON }, () => {});
} else {
  runCurationStoreConformance('ClickHouse (server)', createServerHarness);
}
