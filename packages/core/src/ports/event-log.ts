import type { AppendBatch, AppendOutcome } from './warehouse.ts';

/**
 * The EventLog port: where ingest hands accepted (and quarantined) events. `append` resolves only
 * when the events are durable in the log, so the HTTP 200 can follow. Embedded mode group-commits
 * straight into the warehouse; scale-out mode writes to Kafka.
 */
export interface EventLog {
  readonly kind: string;
  append(batch: AppendBatch): Promise<AppendOutcome>;
  /** Events accepted by `append` and not yet durable. */
  queuedEvents(): number;
  /** Stops accepting, flushes what is queued, then releases resources. */
  close(): Promise<void>;
}
