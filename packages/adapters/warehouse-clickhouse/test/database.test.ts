import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import { SluiceError } from '@sluice/core';
import { ClickHouseDatabase, type QueryTiming } from '../src/database.ts';

type Call = { method: string; params: Record<string, unknown> };

/** A stand-in for @clickhouse/client that records what it is asked and fails as told. */
function stubClient(failures: unknown[] = []): { client: ClickHouseClient; calls: Call[] } {
  const calls: Call[] = [];
  const answer = async (method: string, params: Record<string, unknown>, value: unknown): Promise<unknown> => {
    calls.push({ method, params });
    const failure = failures.shift();
    if (failure !== undefined) throw failure;
    return value;
  };
  const client = {
    query: (params: Record<string, unknown>) => answer('query', params, { json: async () => [{ n: 1 }] }),
    command: (params: Record<string, unknown>) => answer('command', params, {}),
    insert: (params: Record<string, unknown>) => answer('insert', params, {}),
    ping: () => answer('ping', {}, { success: true }),
    close: () => answer('close', {}, undefined),
  };
  return { client: client as unknown as ClickHouseClient, calls };
}

function connectionReset(): Error {
  return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
}

test('every insert states the settings durability relies on, with its token', async () => {
  const { client, calls } = stubClient();
  await new ClickHouseDatabase(client).insert('t', '`events`', [{ a: 1 }], 'tok-1');
  // chDB keeps settings as session SETs (and defaults to async_insert=1): nothing is left implicit.
  assert.deepEqual(calls[0]?.params.clickhouse_settings, {
    output_format_json_quote_64bit_integers: 0,
    async_insert: 0,
    wait_for_async_insert: 1,
    insert_deduplicate: 1,
    insert_deduplication_token: 'tok-1',
  });
  assert.equal(calls[0]?.params.format, 'JSONEachRow');
});

test('a mutation (erasure\'s DELETE) waits until every replica applied it, whatever the session says', async () => {
  const { client, calls } = stubClient();
  await new ClickHouseDatabase(client).mutate('eraseUser: delete', 'DELETE FROM `events` WHERE user_id = {u:String}', { u: 'x' });
  assert.equal(calls[0]?.method, 'command');
  assert.deepEqual(calls[0]?.params.clickhouse_settings, {
    output_format_json_quote_64bit_integers: 0,
    lightweight_deletes_sync: '2',
    mutations_sync: '2',
  });
  assert.deepEqual(calls[0]?.params.query_params, { u: 'x' });
});

test('an insert without a token is refused before it reaches the server', async () => {
  const { client, calls } = stubClient();
  await assert.rejects(new ClickHouseDatabase(client).insert('t', '`events`', [{ a: 1 }], ''), TypeError);
  assert.equal(calls.length, 0);
});

test('values travel as query_params beside the SQL, never inside it', async () => {
  const { client, calls } = stubClient();
  await new ClickHouseDatabase(client).query('t', 'SELECT {x:String} AS x', { x: "o'brien" });
  assert.equal(calls[0]?.params.query, 'SELECT {x:String} AS x');
  assert.deepEqual(calls[0]?.params.query_params, { x: "o'brien" });
});

test('a dropped connection is retried and timed once, with the attempts it took', async () => {
  const { client, calls } = stubClient([connectionReset(), connectionReset()]);
  const timings: QueryTiming[] = [];
  const db = new ClickHouseDatabase(client, { retryDelayMs: 1, onQuery: (t) => timings.push(t) });
  assert.deepEqual(await db.query('listEvents', 'SELECT 1'), [{ n: 1 }]);
  assert.equal(calls.length, 3);
  assert.equal(timings.length, 1);
  assert.equal(timings[0]?.label, 'listEvents');
  assert.equal(timings[0]?.attempts, 3);
  assert.equal(timings[0]?.error, undefined);
});

test('a query the server rejects is not retried and leaves as SLUICE_ERR_STORAGE_UNAVAILABLE with its cause', async () => {
  const rejection = Object.assign(new Error('Syntax error'), { code: '62', type: 'SYNTAX_ERROR' });
  const { client, calls } = stubClient([rejection]);
  const timings: QueryTiming[] = [];
  const db = new ClickHouseDatabase(client, { retryDelayMs: 1, onQuery: (t) => timings.push(t) });
  await assert.rejects(db.command('migration 1', 'CREATE TABLE'), (error: unknown) =>
    error instanceof SluiceError && error.code === 'SLUICE_ERR_STORAGE_UNAVAILABLE' && error.cause === rejection
    && error.message.includes('migration 1'));
  assert.equal(calls.length, 1);
  assert.equal(timings[0]?.error, rejection);
});

test('retries stop after maxAttempts', async () => {
  const { client, calls } = stubClient([connectionReset(), connectionReset(), connectionReset()]);
  await assert.rejects(new ClickHouseDatabase(client, { maxAttempts: 2, retryDelayMs: 1 }).ping(), SluiceError);
  assert.equal(calls.length, 2);
});

test('a failed ping is an error; a closed database refuses work without asking the client', async () => {
  const { client, calls } = stubClient();
  const failing = { ...client, ping: async () => ({ success: false, error: new Error('down') }) } as unknown as ClickHouseClient;
  await assert.rejects(new ClickHouseDatabase(failing).ping(), SluiceError);
  const db = new ClickHouseDatabase(client);
  await db.close({ closeClient: false });
  await assert.rejects(db.query('t', 'SELECT 1'), (error: unknown) => error instanceof SluiceError && error.code === 'SLUICE_ERR_STORAGE_UNAVAILABLE');
  assert.equal(calls.length, 0);
});

test('close closes the client only when the database owns it', async () => {
  const borrowed = stubClient();
  await new ClickHouseDatabase(borrowed.client).close({ closeClient: false });
  assert.equal(borrowed.calls.length, 0);
  const owned = stubClient();
  await new ClickHouseDatabase(owned.client).close({ closeClient: true });
  assert.deepEqual(owned.calls.map((c) => c.method), ['close']);
});
