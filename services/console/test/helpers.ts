import { createLocalBlobStore } from '@sluice/blob-store-local';
import { loadConfig, type BlobStore, type Config, type IngestedEvent, type QuarantinedEvent } from '@sluice/core';
import { makeIngestedEvent, makeQuarantinedEvent } from '@sluice/core/testing';
import { loadRuleset, runCuration } from '@sluice/curate';
import { createGroupCommitEventLog } from '@sluice/event-log-embedded';
import { exportSnapshot, type ExportedSnapshot } from '@sluice/export';
import { buildIngestApp, createIngestMetrics } from '@sluice/ingest';
import { createEventValidator, loadSchemas } from '@sluice/schemas';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '@sluice/warehouse-duckdb';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ADMIN_TOKEN = 'console_admin_token_test';
export const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

export function consoleConfig(): Config {
  return loadConfig({}, {
    server: { logLevel: 'silent' },
    auth: { writeKeys: [{ key: 'sk_console_test', tenant: 'acme', source: 'support-web' }], adminToken: ADMIN_TOKEN },
    curation: { pseudonymKey: 'console-test-pseudonym-key-0001' },
  });
}

export interface ConsoleTestApp {
  app: FastifyInstance;
  warehouse: DuckDbWarehouse;
  blobStore: BlobStore;
  metrics: ReturnType<typeof createIngestMetrics>;
  close(): Promise<void>;
}

/**
 * The real ingest app (which registers the console) on a DuckDB file and a local blob store in a
 * temp directory, as services/ingest/test/helpers.ts builds it.
 */
export async function createConsoleApp(options: { withBlobStore?: boolean } = {}): Promise<ConsoleTestApp> {
  const config = consoleConfig();
  const dir = await mkdtemp(join(tmpdir(), 'sluice-console-'));
  const warehouse = await createDuckDbWarehouse({ path: join(dir, 'sluice.duckdb') });
  const blobStore = createLocalBlobStore({ root: join(dir, 'blobs') });
  const metrics = createIngestMetrics();
  const eventLog = createGroupCommitEventLog(warehouse, config.groupCommit, { onCommit: () => undefined });
  const app = await buildIngestApp(config, {
    eventLog, warehouse, metrics, schemas: loadSchemas(), validateEvent: createEventValidator(), version: 'test',
    ...(options.withBlobStore === false ? {} : { blobStore }),
  });
  return {
    app, warehouse, blobStore, metrics,
    async close() {
      await app.close();
      await eventLog.close();
      await warehouse.close();
      await blobStore.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const MIN = 60_000;

function generation(at: number, user: string, session: string | null, input: string, output: string, source = 'support-web'): IngestedEvent {
  const eventId = randomUUID();
  return makeIngestedEvent({
    eventId, source, userId: user, sessionId: session, receivedAt: at, occurredAt: at - 1000, sentAt: at - 500, timestamp: at - 500,
    payload: {
      event_id: eventId, type: 'generation', generation_id: `gen_${eventId.slice(0, 8)}`, model: 'llama-3.1-8b-instruct',
      input: [{ role: 'system', content: 'You are a support agent.' }, { role: 'user', content: input }],
      output: [{ role: 'assistant', content: output }], finish_reason: 'stop',
    },
  });
}

function signal(at: number, type: 'feedback' | 'outcome' | 'consent', user: string, session: string | null, payload: Record<string, unknown>): IngestedEvent {
  const eventId = randomUUID();
  return makeIngestedEvent({
    eventId, type, userId: user, sessionId: session, receivedAt: at, occurredAt: at - 1000, sentAt: at - 500, timestamp: at - 500,
    payload: { event_id: eventId, type, ...payload },
  });
}

export const PII_PROMPT = 'Hi, I am jane.doe@example.com and my order ORD-1234567 is late. Call me on +1 415 555 0134.';
const DUPLICATE = ['How do I reset my password on the web app?', 'Open Settings, then Security, and choose Reset password.'] as const;

/** Events of the last hour (and one of two days ago), with PII, duplicates, signals and rejections. */
export function seedData(now: number): { events: IngestedEvent[]; quarantine: QuarantinedEvent[]; piiGeneration: IngestedEvent } {
  const piiGeneration = generation(now - 40 * MIN, 'cus_1', 'sess-a', PII_PROMPT, 'Sorry Jane! Order ORD-1234567 ships tomorrow; we will text +1 415 555 0134.');
  const generationId = String(piiGeneration.payload.generation_id);
  const events = [
    generation(now - 48 * 60 * MIN, 'cus_0', 'sess-old', 'An old question about shipping to Norway?', 'We ship to Norway within five days.'),
    signal(now - 45 * MIN, 'consent', 'cus_1', null, { scope: 'training', granted: true }),
    piiGeneration,
    signal(now - 39 * MIN, 'feedback', 'cus_1', 'sess-a', { target: { generation_id: generationId }, kind: 'thumbs', value: 'up', comment: 'Thanks!' }),
    // An outcome without a session id: the timeline finds it through its target.
    signal(now - 38 * MIN, 'outcome', 'cus_1', null, { target: { generation_id: generationId }, kind: 'resolved' }),
    generation(now - 30 * MIN, 'cus_2', 'sess-b', DUPLICATE[0], DUPLICATE[1]),
    generation(now - 20 * MIN, 'cus_3', 'sess-c', DUPLICATE[0], DUPLICATE[1]),
    generation(now - 10 * MIN, 'cus_4', 'sess-d', 'Can you change the delivery address of my parcel to the office?', 'Yes: I have updated the address for you.', 'coding-ide'),
  ];
  const quarantine = [
    makeQuarantinedEvent({ receivedAt: now - 50 * 60 * MIN }),
    makeQuarantinedEvent({ receivedAt: now - 15 * MIN, code: 'SLUICE_ERR_EVENT_INVALID', pointer: '/model', message: "must have required property 'model'" }),
    makeQuarantinedEvent({ receivedAt: now - 14 * MIN, code: 'SLUICE_ERR_EVENT_INVALID', pointer: '/model', message: "must have required property 'model'" }),
    makeQuarantinedEvent({ receivedAt: now - 5 * MIN, code: 'SLUICE_ERR_EVENT_TYPE_UNKNOWN', pointer: '/type', message: 'unknown event type "click"', payload: { type: 'click' } }),
  ];
  return { events, quarantine, piiGeneration };
}

export const RULESET = `name: support-test
description: Support chats for the console tests.
consent:
  mode: allow_unless_revoked
pii:
  actions:
    EMAIL: pseudonymize
  default_action: mask
  custom:
    - name: ORDER_ID
      pattern: '\\bORD-\\d{6,10}\\b'
filters:
  min_chars: 10
dedup:
  mode: exact
split:
  eval_fraction: 0.5
  seed: console-test
`;

/** Stores the seed events (in received order, as ingest would) and quarantined rows. */
export async function seedWarehouse(t: ConsoleTestApp, now: number): Promise<ReturnType<typeof seedData>> {
  const data = seedData(now);
  for (const event of data.events) await t.warehouse.append({ events: [event], quarantine: [] });
  await t.warehouse.append({ events: [], quarantine: data.quarantine });
  return data;
}

/** A real curation run of RULESET and an exported snapshot of it. */
export async function seedSnapshot(t: ConsoleTestApp): Promise<ExportedSnapshot> {
  await runCuration(loadRuleset(RULESET), { store: t.warehouse, pseudonymKey: consoleConfig().curation.pseudonymKey });
  return exportSnapshot({ store: t.warehouse, blobStore: t.blobStore, rulesetName: 'support-test', name: 'support-bot', formats: ['sft', 'kto', 'openai_chat'] });
}
