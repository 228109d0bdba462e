import { duckdbPath, type Config, type CurationStore, type EventLog, type Warehouse } from '@sluice/core';
import { createGroupCommitEventLog, type GroupCommitObserver } from '@sluice/event-log-embedded';
import { createKafkaEventLog } from '@sluice/event-log-kafka';
import { createClickHouseWarehouse } from '@sluice/warehouse-clickhouse';
import { createDuckDbWarehouse } from '@sluice/warehouse-duckdb';

export type SluiceWarehouse = Warehouse & Partial<CurationStore>;

/** Opens the warehouse the config names: the embedded DuckDB file or a ClickHouse server. */
export async function openWarehouse(config: Pick<Config, 'dataDir' | 'warehouse'>): Promise<SluiceWarehouse> {
  if (config.warehouse.kind === 'clickhouse') {
    const ch = config.warehouse.clickhouse;
    return createClickHouseWarehouse({ url: ch.url, username: ch.username, password: ch.password, database: ch.database });
  }
  return createDuckDbWarehouse({ path: duckdbPath(config), checkpointThreshold: config.warehouse.checkpointThreshold });
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
  return createGroupCommitEventLog(warehouse, config.groupCommit, observer);
}
