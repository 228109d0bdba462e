import type { QuarantinedEvent } from '../events.ts';
import type { AppendBatch, AppendOutcome, PreparedBody } from './warehouse.ts';

/**
 * The EventLog port: where ingest hands accepted (and quarantined) events. `append` resolves only
 * when the events are durable in the log, so the HTTP 200 can follow. Embedded mode group-commits
 * straight into the warehouse; scale-out mode writes to Kafka.
 */
export interface EventLog {
  readonly kind: string;
  append(batch: AppendBatch): Promise<AppendOutcome>;
  /**
   * Present when the log's store takes prepared bodies (Warehouse.appendPrepared): one request's
   * body, or none when all of its events were rejected, and its quarantined events.
   */
  appendPrepared?(body: PreparedBody | null, quarantine: readonly QuarantinedEvent[]): Promise<AppendOutcome>;
  /** Events accepted by `append` and not yet durable. */
  queuedEvents(): number;
  /** Stops accepting, flushes what is queued, then releases resources. */
  close(): Promise<void>;
}
