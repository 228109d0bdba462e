import { createLocalBlobStore } from '@sluice/blob-store-local';
import { createS3BlobStore } from '@sluice/blob-store-s3';
import { duckdbPath, type BlobStore, type Config, type CurationStore, type EventLog, type Warehouse } from '@sluice/core';
import { resolve } from 'node:path';
import { createGroupCommitEventLog, type GroupCommitObserver } from '@sluice/event-log-embedded';
import { createKafkaEventLog } from '@sluice/event-log-kafka';
import { createClickHouseWarehouse } from '@sluice/warehouse-clickhouse';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '@sluice/warehouse-duckdb';

/** Any warehouse; the curation side and the embedded store's materialisation status when it has them. */
export type SluiceWarehouse = Warehouse & Partial<CurationStore> & Partial<Pick<DuckDbWarehouse, 'materialization'>>;

/** Opens the warehouse the config names: the embedded DuckDB file or a ClickHouse server. */
export async function openWarehouse(config: Pick<Config, 'dataDir' | 'warehouse'>): Promise<SluiceWarehouse> {
  if (config.warehouse.kind === 'clickhouse') {
    const ch = config.warehouse.clickhouse;
    return createClickHouseWarehouse({ url: ch.url, username: ch.username, password: ch.password, database: ch.database });
  }
  return createDuckDbWarehouse({
    path: duckdbPath(config), checkpointThreshold: config.warehouse.checkpointThreshold, maxPendingEvents: config.warehouse.maxPendingEvents,
  });
}

/**
 * Opens the event log the config names. Embedded: group commit straight into the warehouse.
 * Kafka: the topic is the durable log (a 200 means Kafka acknowledged); `sluice land` moves
 * events into the warehouse, which deduplicates them there.
 */
export async function openEventLog(config: Pick<Config, 'eventLog' | 'groupCommit'>, warehouse: Warehouse, observer: GroupCommitObserver): Promise<EventLog> {
  if (config.eventLog.kind === 'kafka') {
    const k = config.eventLog.kafka;
    return createKafkaEventLog({
      brokers: k.brokers, clientId: k.clientId, topic: k.topic, quarantineTopic: k.quarantineTopic,
      ...(k.partitions === undefined ? {} : { partitions: k.partitions }),
      ...(k.replicationFactor === undefined ? {} : { replicationFactor: k.replicationFactor }),
      maxBatchEvents: config.groupCommit.maxBatchEvents, maxQueuedEvents: config.groupCommit.maxQueuedEvents,
    }, observer);
  }
  // DuckDB stages events from their request bodies' bytes: their parsed payloads need not wait with them.
  return createGroupCommitEventLog(warehouse, { ...config.groupCommit, payloadsFromBodies: warehouse.kind === 'duckdb' }, observer);
}

/** Opens the blob store the config names: a local directory or an S3-compatible bucket. */
export async function openBlobStore(config: Pick<Config, 'dataDir' | 'blobStore'>): Promise<BlobStore> {
  if (config.blobStore.kind === 's3') {
    const s3 = config.blobStore.s3;
    return createS3BlobStore({
      bucket: s3.bucket, region: s3.region, forcePathStyle: s3.forcePathStyle,
      ...(s3.prefix ? { prefix: s3.prefix } : {}),
      ...(s3.endpoint === undefined ? {} : { endpoint: s3.endpoint }),
      ...(s3.accessKeyId !== undefined && s3.secretAccessKey !== undefined
        ? { credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } } : {}),
    });
  }
  return createLocalBlobStore({ root: config.blobStore.root ?? resolve(config.dataDir, 'blobs') });
}
