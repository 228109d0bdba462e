import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SluiceError } from '../src/errors.ts';
import { loadConfig, parseWriteKeys } from '../src/config.ts';

test('defaults run the embedded deployment', () => {
  const config = loadConfig({});
  assert.equal(config.server.port, 8080);
  assert.equal(config.warehouse.kind, 'duckdb');
  assert.equal(config.eventLog.kind, 'embedded');
  assert.equal(config.auth.writeKeys.length, 1);
});

test('env strings become typed values: numbers, booleans, lists', () => {
  const config = loadConfig({
    SLUICE_PORT: '9000', SLUICE_STORE_CLIENT_IP: 'true', SLUICE_TRUST_PROXY: '0',
    SLUICE_KAFKA_BROKERS: 'k1:9092, k2:9092', SLUICE_EVENT_LOG: 'kafka', SLUICE_KAFKA_PARTITIONS: '6',
    SLUICE_WRITE_KEYS: 'sk_live_aaaaaaaa:acme/web,sk_live_bbbbbbbb:acme/ide',
  });
  assert.equal(config.server.port, 9000);
  assert.equal(config.ingest.storeClientIp, true);
  assert.equal(config.server.trustProxy, false);
  assert.deepEqual(config.eventLog.kafka.brokers, ['k1:9092', 'k2:9092']);
  assert.equal(config.eventLog.kafka.partitions, 6);
  assert.deepEqual(config.auth.writeKeys.map((k) => [k.tenant, k.source]), [['acme', 'web'], ['acme', 'ide']]);
});

test('a YAML file is read and env overrides it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-config-'));
  const file = join(dir, 'sluice.yaml');
  writeFileSync(file, 'server:\n  port: 7000\n  host: 0.0.0.0\nwarehouse:\n  kind: clickhouse\n  clickhouse:\n    url: http://ch:8123\n');
  const config = loadConfig({ SLUICE_CONFIG: file, SLUICE_PORT: '7001' });
  assert.equal(config.server.port, 7001);
  assert.equal(config.server.host, '0.0.0.0');
  assert.equal(config.warehouse.kind, 'clickhouse');
  assert.equal(config.warehouse.clickhouse.url, 'http://ch:8123');
});

test('every problem is listed by path in one SLUICE_ERR_CONFIG_INVALID', () => {
  assert.throws(() => loadConfig({ SLUICE_PORT: 'eighty', SLUICE_EVENT_LOG: 'rabbit', SLUICE_WRITE_KEYS: 'nocolon' }), (error: unknown) => {
    assert.ok(error instanceof SluiceError);
    assert.equal(error.code, 'SLUICE_ERR_CONFIG_INVALID');
    assert.match(error.message, /server\.port/);
    assert.match(error.message, /eventLog\.kind/);
    assert.match(error.message, /auth\.writeKeys\.0/);
    return true;
  });
});

test('parseWriteKeys reads key:tenant/source lists', () => {
  assert.deepEqual(parseWriteKeys(' k1:t/s , k2:t2/s.2 '), [{ key: 'k1', tenant: 't', source: 's' }, { key: 'k2', tenant: 't2', source: 's.2' }]);
});

test('read tokens come as JSON and may not reuse a write key', () => {
  const config = loadConfig({ SLUICE_READ_TOKENS: '[{"token":"rt_0123456789abcdef","datasets":["support-bot"]}]' });
  assert.deepEqual(config.export.readTokens, [{ token: 'rt_0123456789abcdef', datasets: ['support-bot'] }]);
  assert.throws(() => loadConfig({ SLUICE_READ_TOKENS: 'not json' }), /export\.readTokens/);
  assert.throws(() => loadConfig({ SLUICE_WRITE_KEYS: 'sk_same_key_123456:a/b', SLUICE_READ_TOKENS: '[{"token":"sk_same_key_123456","datasets":["*"]}]' }),
    /must differ from every write key/);
});
