import { createLocalBlobStore } from '@sluice/blob-store-local';
import { loadConfig, type Config, type Warehouse } from '@sluice/core';
import { createGroupCommitEventLog } from '@sluice/event-log-embedded';
import { createEventValidator, loadExamples, loadSchemas } from '@sluice/schemas';
import { createDuckDbWarehouse, type DuckDbWarehouse, type DuckDbWarehouseOptions } from '@sluice/warehouse-duckdb';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIngestApp } from '../src/app.ts';
import { createIngestMetrics } from '../src/metrics.ts';

export const WRITE_KEY = 'sk_test_support_web';
export const OTHER_WRITE_KEY = 'sk_test_coding_ide';
export const ADMIN_TOKEN = 'admin_test_token';

export function testConfig(overrides: Record<string, unknown> = {}): Config {
  return loadConfig({}, {
    server: { logLevel: 'silent' },
    auth: {
      writeKeys: [
        { key: WRITE_KEY, tenant: 'acme', source: 'support-web' },
        { key: OTHER_WRITE_KEY, tenant: 'acme', source: 'coding-ide' },
      ],
      adminToken: ADMIN_TOKEN,
    },
    ...overrides,
  });
}

const validExamples = loadExamples().valid;
const schemas = loadSchemas();
const validateEvent = createEventValidator();

/** A valid example event of the given type with a fresh event_id (and optional overrides). */
export function exampleEvent(type = 'generation', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const example = validExamples.find((e) => e.type === type);
  if (!example) throw new Error(`no example for ${type}`);
  return { ...(structuredClone(example.event) as Record<string, unknown>), event_id: randomUUID(), ...overrides };
}

export interface TestApp {
  app: FastifyInstance;
  warehouse: Warehouse;
  /** The DuckDB warehouse under any wrapper, for its staging log's state. */
  duckdb: DuckDbWarehouse;
  dir: string;
  close(): Promise<void>;
}

/**
 * The real ingest app on a real DuckDB file in a temp directory. `wrapWarehouse` lets a test put
 * a gate in front of the real warehouse (to hold commits and observe backpressure).
 */
export async function createTestApp(options: {
  config?: Config;
  dir?: string;
  wrapWarehouse?: (warehouse: DuckDbWarehouse) => Warehouse;
  /** Serve the snapshot API from a local blob store under the temp directory. */
  withBlobStore?: boolean;
  warehouseOptions?: Omit<DuckDbWarehouseOptions, 'path'>;
} = {}): Promise<TestApp> {
  const config = options.config ?? testConfig();
  const dir = options.dir ?? await mkdtemp(join(tmpdir(), 'sluice-ingest-'));
  const realWarehouse = await createDuckDbWarehouse({ path: join(dir, 'sluice.duckdb'), ...options.warehouseOptions });
  const warehouse = options.wrapWarehouse ? options.wrapWarehouse(realWarehouse) : realWarehouse;
  const metrics = createIngestMetrics();
  const eventLog = createGroupCommitEventLog(warehouse, { ...config.groupCommit, payloadsFromBodies: true }, { onCommit: (i) => metrics.observeCommit(i) });
  const blobStore = options.withBlobStore ? await createLocalBlobStore({ root: join(dir, 'blobs') }) : undefined;
  const app = await buildIngestApp(config, { eventLog, warehouse, metrics, schemas, validateEvent, version: 'test', ...(blobStore ? { blobStore } : {}) });
  return {
    app, warehouse, duckdb: realWarehouse, dir,
    async close() {
      await app.close();
      await eventLog.close();
      await realWarehouse.close().catch(() => undefined);
      await blobStore?.close();
    },
  };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export function postBatch(app: FastifyInstance, body: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: { authorization: `Bearer ${WRITE_KEY}`, 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
}

export async function storedEvents(app: FastifyInstance, query = 'limit=1000'): Promise<Array<Record<string, unknown>>> {
  const response = await app.inject({ method: 'GET', url: `/v1/events?${query}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (response.statusCode !== 200) throw new Error(`GET /v1/events: ${response.statusCode} ${response.body}`);
  return (response.json() as { events: Array<Record<string, unknown>> }).events;
}
