import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SluiceError } from './errors.ts';

/**
 * Configuration is parsed exactly once, here, from an optional file (SLUICE_CONFIG, JSON or YAML)
 * overlaid by environment variables. Everything downstream receives typed values (numbers,
 * booleans, arrays), never raw strings, and nothing else reads process.env.
 */

const DEV_WRITE_KEY = 'sk_dev_quickstart';
const DEV_ADMIN_TOKEN = 'admin_dev_quickstart';
const DEV_PSEUDONYM_KEY = 'dev-pseudonym-key-change-me-0001';

const writeKeySchema = z.object({
  key: z.string().min(8, 'a write key needs at least 8 characters'),
  tenant: z.string().min(1).regex(/^[a-z0-9][a-z0-9_-]*$/i, 'tenant: letters, digits, _ and -'),
  source: z.string().min(1).regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'source: letters, digits, _, . and -'),
});

/** A list from config files (array) or env (comma-separated). */
const stringList = z.union([z.array(z.string().min(1)), z.string().transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean))]);

const boolFromString = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes')]);

export const configSchema = z.object({
  server: z.object({
    host: z.string().default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Trust X-Forwarded-For when behind a proxy. */
    trustProxy: boolFromString.default(false),
  }).prefault({}),
  dataDir: z.string().default('./data'),
  warehouse: z.object({
    /** duckdb: embedded file (default). clickhouse: a ClickHouse server (scale-out). */
    kind: z.enum(['duckdb', 'clickhouse']).default('duckdb'),
    /** Defaults to <dataDir>/sluice.duckdb. */
    path: z.string().optional(),
    /** WAL size that triggers a DuckDB checkpoint; larger values batch the compaction work. */
    checkpointThreshold: z.string().default('64MB'),
    /**
     * DuckDB: acknowledged events staged and not yet materialised into `events` beyond which ingest
     * answers 503 SLUICE_ERR_QUEUE_FULL (see docs/decisions/0005).
     */
    maxPendingEvents: z.coerce.number().int().positive().default(1_000_000),
    clickhouse: z.object({
      url: z.url().default('http://127.0.0.1:8123'),
      username: z.string().default('default'),
      password: z.string().default(''),
      database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('sluice'),
    }).prefault({}),
  }).prefault({}),
  eventLog: z.object({
    /** embedded: group commit straight into the warehouse (default). kafka: a Kafka topic + `sluice land`. */
    kind: z.enum(['embedded', 'kafka']).default('embedded'),
    kafka: z.object({
      brokers: stringList.default(['127.0.0.1:9092']),
      clientId: z.string().default('sluice'),
      topic: z.string().default('sluice.events.v1'),
      quarantineTopic: z.string().default('sluice.quarantine.v1'),
      /** One partition, written by the landers: a batch's reservation there numbers its rows (docs/decisions/0006). */
      sequenceTopic: z.string().default('sluice.seq.v1'),
      /** Used when the topics are created at startup; the broker's defaults otherwise. */
      partitions: z.coerce.number().int().positive().optional(),
      replicationFactor: z.coerce.number().int().positive().optional(),
      groupId: z.string().default('sluice-lander'),
    }).prefault({}),
  }).prefault({}),
  auth: z.object({
    writeKeys: z.array(writeKeySchema).default([{ key: DEV_WRITE_KEY, tenant: 'default', source: 'quickstart' }]),
    adminToken: z.string().min(8).default(DEV_ADMIN_TOKEN),
  }).prefault({}),
  ingest: z.object({
    maxEventsPerBatch: z.coerce.number().int().positive().default(1000),
    /** Cap on the decompressed body; also stops gzip bombs. */
    maxBodyBytes: z.coerce.number().int().positive().default(5 * 1024 * 1024),
    /** Requests per second per write key (token bucket); 0 disables the limit. */
    rateLimitPerSecond: z.coerce.number().min(0).default(1000),
    rateLimitBurst: z.coerce.number().int().positive().default(2000),
    /** Corrected timestamps further than this in the future are clamped to received_at. */
    maxFutureSkewMs: z.coerce.number().int().min(0).default(5 * 60_000),
    storeClientIp: boolFromString.default(false),
    /**
     * Parse, validate and prepare /v1/batch bodies on a thread of their own when the store takes
     * prepared bodies (embedded DuckDB; docs/decisions/0020). Off: the ingest thread does it.
     */
    preparationThread: boolFromString.default(true),
    /** Origins allowed to call the capture endpoints from a browser (CORS); '*' = any. */
    corsOrigins: stringList.default(['*']),
  }).prefault({}),
  blobStore: z.object({
    /** local: a directory (default <dataDir>/blobs). s3: any S3-compatible store (S3, MinIO, R2, GCS). */
    kind: z.enum(['local', 's3']).default('local'),
    root: z.string().optional(),
    s3: z.object({
      bucket: z.string().default('sluice-datasets'),
      prefix: z.string().default(''),
      endpoint: z.url().optional(),
      region: z.string().default('us-east-1'),
      forcePathStyle: boolFromString.default(false),
      accessKeyId: z.string().optional(),
      secretAccessKey: z.string().optional(),
    }).prefault({}),
  }).prefault({}),
  export: z.object({
    /** Target size of one Parquet shard before compression estimates. */
    shardTargetBytes: z.coerce.number().int().positive().default(256 * 1024 * 1024),
    rowGroupTargetBytes: z.coerce.number().int().positive().default(32 * 1024 * 1024),
    /** Blob key prefix of published snapshots. */
    prefix: z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/).default('datasets'),
    presignSeconds: z.coerce.number().int().min(1).max(7 * 86_400).default(900),
    /** Trainer read tokens, each scoped to datasets (`*` = all); never the same as a write key. */
    readTokens: z.array(z.object({
      token: z.string().min(16, 'a read token needs at least 16 characters'),
      datasets: z.array(z.string().min(1)).min(1),
      name: z.string().optional(),
    })).default([]),
  }).prefault({}),
  curation: z.object({
    /**
     * Tenant secret for PII pseudonyms (HMAC-SHA256) and user keys: the same value maps to the
     * same token across a dataset; changing it changes every token.
     */
    pseudonymKey: z.string().min(16, 'the pseudonym key needs at least 16 characters').default(DEV_PSEUDONYM_KEY),
  }).prefault({}),
  groupCommit: z.object({
    /** Most events written in one transaction. */
    maxBatchEvents: z.coerce.number().int().positive().default(20_000),
    /** Events waiting for a commit beyond which requests get 503 (backpressure). */
    maxQueuedEvents: z.coerce.number().int().positive().default(200_000),
  }).prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type WriteKey = z.infer<typeof writeKeySchema>;

/** Environment variables, each mapped to a config path. The README's reference lists the same. */
export const envVariables = {
  SLUICE_HOST: ['server', 'host'],
  SLUICE_PORT: ['server', 'port'],
  SLUICE_LOG_LEVEL: ['server', 'logLevel'],
  SLUICE_TRUST_PROXY: ['server', 'trustProxy'],
  SLUICE_DATA_DIR: ['dataDir'],
  SLUICE_WAREHOUSE: ['warehouse', 'kind'],
  SLUICE_DUCKDB_PATH: ['warehouse', 'path'],
  SLUICE_CLICKHOUSE_URL: ['warehouse', 'clickhouse', 'url'],
  SLUICE_CLICKHOUSE_USER: ['warehouse', 'clickhouse', 'username'],
  SLUICE_CLICKHOUSE_PASSWORD: ['warehouse', 'clickhouse', 'password'],
  SLUICE_CLICKHOUSE_DATABASE: ['warehouse', 'clickhouse', 'database'],
  SLUICE_EVENT_LOG: ['eventLog', 'kind'],
  SLUICE_KAFKA_BROKERS: ['eventLog', 'kafka', 'brokers'],
  SLUICE_KAFKA_CLIENT_ID: ['eventLog', 'kafka', 'clientId'],
  SLUICE_KAFKA_TOPIC: ['eventLog', 'kafka', 'topic'],
  SLUICE_KAFKA_QUARANTINE_TOPIC: ['eventLog', 'kafka', 'quarantineTopic'],
  SLUICE_KAFKA_SEQUENCE_TOPIC: ['eventLog', 'kafka', 'sequenceTopic'],
  SLUICE_KAFKA_PARTITIONS: ['eventLog', 'kafka', 'partitions'],
  SLUICE_KAFKA_REPLICATION_FACTOR: ['eventLog', 'kafka', 'replicationFactor'],
  SLUICE_KAFKA_GROUP_ID: ['eventLog', 'kafka', 'groupId'],
  SLUICE_DUCKDB_CHECKPOINT_THRESHOLD: ['warehouse', 'checkpointThreshold'],
  SLUICE_DUCKDB_MAX_PENDING_EVENTS: ['warehouse', 'maxPendingEvents'],
  SLUICE_WRITE_KEYS: ['auth', 'writeKeys'],
  SLUICE_ADMIN_TOKEN: ['auth', 'adminToken'],
  SLUICE_MAX_EVENTS_PER_BATCH: ['ingest', 'maxEventsPerBatch'],
  SLUICE_MAX_BODY_BYTES: ['ingest', 'maxBodyBytes'],
  SLUICE_RATE_LIMIT_PER_SECOND: ['ingest', 'rateLimitPerSecond'],
  SLUICE_RATE_LIMIT_BURST: ['ingest', 'rateLimitBurst'],
  SLUICE_MAX_FUTURE_SKEW_MS: ['ingest', 'maxFutureSkewMs'],
  SLUICE_STORE_CLIENT_IP: ['ingest', 'storeClientIp'],
  SLUICE_PREPARATION_THREAD: ['ingest', 'preparationThread'],
  SLUICE_CORS_ORIGINS: ['ingest', 'corsOrigins'],
  SLUICE_PSEUDONYM_KEY: ['curation', 'pseudonymKey'],
  SLUICE_EXPORT_SHARD_TARGET_BYTES: ['export', 'shardTargetBytes'],
  SLUICE_EXPORT_ROW_GROUP_TARGET_BYTES: ['export', 'rowGroupTargetBytes'],
  SLUICE_EXPORT_PREFIX: ['export', 'prefix'],
  SLUICE_PRESIGN_SECONDS: ['export', 'presignSeconds'],
  SLUICE_READ_TOKENS: ['export', 'readTokens'],
  SLUICE_BLOB_STORE: ['blobStore', 'kind'],
  SLUICE_BLOB_ROOT: ['blobStore', 'root'],
  SLUICE_S3_BUCKET: ['blobStore', 's3', 'bucket'],
  SLUICE_S3_PREFIX: ['blobStore', 's3', 'prefix'],
  SLUICE_S3_ENDPOINT: ['blobStore', 's3', 'endpoint'],
  SLUICE_S3_REGION: ['blobStore', 's3', 'region'],
  SLUICE_S3_FORCE_PATH_STYLE: ['blobStore', 's3', 'forcePathStyle'],
  SLUICE_S3_ACCESS_KEY_ID: ['blobStore', 's3', 'accessKeyId'],
  SLUICE_S3_SECRET_ACCESS_KEY: ['blobStore', 's3', 'secretAccessKey'],
  SLUICE_GROUP_COMMIT_MAX_BATCH_EVENTS: ['groupCommit', 'maxBatchEvents'],
  SLUICE_GROUP_COMMIT_MAX_QUEUED_EVENTS: ['groupCommit', 'maxQueuedEvents'],
} as const satisfies Record<string, readonly string[]>;

/** `key:tenant/source,key2:tenant/source2` → write key records. */
export function parseWriteKeys(text: string): Array<Record<string, string>> {
  return text.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const match = /^([^:]+):([^/]+)\/(.+)$/.exec(entry);
    if (!match) return { key: entry, tenant: '', source: '' }; // zod reports it with its path
    return { key: match[1] ?? '', tenant: match[2] ?? '', source: match[3] ?? '' };
  });
}

type Env = Readonly<Record<string, string | undefined>>;

/** JSON-valued variables; text that is not JSON is passed on for zod to report by path. */
function parseJsonOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
    else node = node[key] = {};
  }
  node[path[path.length - 1] as string] = value;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new SluiceError('SLUICE_ERR_CONFIG_INVALID', `cannot read config file ${file}: ${(cause as Error).message}`);
  }
  const parsed: unknown = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SluiceError('SLUICE_ERR_CONFIG_INVALID', `config file ${file} must hold an object`);
  }
  return parsed as Record<string, unknown>;
}

export function formatZodIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`).join('\n');
}

/** Parses the configuration once. Throws SluiceError(SLUICE_ERR_CONFIG_INVALID) with a readable list. */
export function loadConfig(env: Env = process.env, overrides: Record<string, unknown> = {}): Config {
  const raw: Record<string, unknown> = env.SLUICE_CONFIG ? readConfigFile(resolve(env.SLUICE_CONFIG)) : {};
  for (const [name, path] of Object.entries(envVariables)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(raw, path, name === 'SLUICE_WRITE_KEYS' ? parseWriteKeys(value) : name === 'SLUICE_READ_TOKENS' ? parseJsonOrKeep(value) : value);
  }
  for (const [key, value] of Object.entries(overrides)) {
    raw[key] = typeof value === 'object' && value !== null && !Array.isArray(value)
      ? { ...(raw[key] as object | undefined), ...value }
      : value;
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new SluiceError('SLUICE_ERR_CONFIG_INVALID', `invalid configuration:\n${formatZodIssues(result.error)}`);
  }
  const writeKeys = new Set(result.data.auth.writeKeys.map((k) => k.key));
  if (result.data.export.readTokens.some((t) => writeKeys.has(t.token) || t.token === result.data.auth.adminToken)) {
    throw new SluiceError('SLUICE_ERR_CONFIG_INVALID', 'invalid configuration:\n  - export.readTokens: a read token must differ from every write key and the admin token');
  }
  return result.data;
}

export function duckdbPath(config: Pick<Config, 'dataDir' | 'warehouse'>): string {
  return config.warehouse.path ?? resolve(config.dataDir, 'sluice.duckdb');
}

export function usesDevCredentials(config: Pick<Config, 'auth'>): boolean {
  return config.auth.adminToken === DEV_ADMIN_TOKEN || config.auth.writeKeys.some((k) => k.key === DEV_WRITE_KEY);
}

export function usesDevPseudonymKey(config: Pick<Config, 'curation'>): boolean {
  return config.curation.pseudonymKey === DEV_PSEUDONYM_KEY;
}
