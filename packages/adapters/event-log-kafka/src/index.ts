export { createKafkaEventLog, type KafkaEventLogOptions } from './kafka-event-log.ts';
export {
  decodeEventMessage,
  decodeQuarantineMessage,
  INGESTED_EVENT_SCHEMA,
  partitionKeyOf,
  QUARANTINED_EVENT_SCHEMA,
  SCHEMA_HEADER,
} from './event-messages.ts';
