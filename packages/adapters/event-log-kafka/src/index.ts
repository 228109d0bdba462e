export { createKafkaEventLog, type KafkaEventLogOptions } from './kafka-event-log.ts';
export {
  decodeEventMessage,
  decodeQuarantineMessage,
  eventLinesOf,
  eventLineMessages,
  eventMessage,
  INGESTED_EVENT_LINES_SCHEMA,
  INGESTED_EVENT_SCHEMA,
  partitionKeyOf,
  QUARANTINED_EVENT_SCHEMA,
  quarantineMessage,
  SCHEMA_HEADER,
  type OutgoingMessage,
} from './event-messages.ts';
