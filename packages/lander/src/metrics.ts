import { Counter, Gauge, Registry } from 'prom-client';

/**
 * The lander's Prometheus metrics, on the registry the caller passes (to serve them beside its
 * own) or on a registry of its own: never prom-client's global one, so several landers in one
 * process (tests) never share counters.
 */
export function createLanderMetrics(registry: Registry = new Registry()) {
  const lag = new Gauge({
    name: 'sluice_lander_consumer_lag',
    help: 'Messages in a partition after the group\'s committed offset (high watermark - committed), per owned partition.',
    labelNames: ['topic', 'partition'] as const,
    registers: [registry],
  });
  const eventsLanded = new Counter({
    name: 'sluice_lander_events_landed_total',
    help: 'Events the warehouse stored for the first time (duplicates not counted).',
    registers: [registry],
  });
  const duplicates = new Counter({
    name: 'sluice_lander_events_duplicate_total',
    help: 'Events the warehouse already had (client resends, replays after a crash or rebalance).',
    registers: [registry],
  });
  const quarantined = new Counter({
    name: 'sluice_lander_quarantine_landed_total',
    help: 'Quarantine rows landed, by origin: topic (ingest rejected it), poison (undecodable message), refused (the warehouse refused it).',
    labelNames: ['origin'] as const,
    registers: [registry],
  });
  const batches = new Counter({
    name: 'sluice_lander_batches_total',
    help: 'Warehouse appends of partition batches, by result (landed | failed).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'sluice_lander_retries_total',
    help: 'Retries of a batch after the warehouse failed it.',
    registers: [registry],
  });
  const commitFailures = new Counter({
    name: 'sluice_lander_commit_failures_total',
    help: 'Offset commits Kafka refused after the batch landed (the next commit of the partition covers it).',
    registers: [registry],
  });
  const reconnects = new Counter({
    name: 'sluice_lander_reconnects_total',
    help: 'Times the Kafka consumer was replaced after its stream failed or skipped offsets; reading resumes from the committed offsets.',
    registers: [registry],
  });

  return {
    registry,
    setLag(topic: string, partition: number, value: number): void {
      lag.set({ topic, partition: String(partition) }, value);
    },
    forgetLag(topic: string, partition: number): void {
      lag.remove({ topic, partition: String(partition) });
    },
    countLanded(info: { stored: number; duplicate: number; quarantine: Partial<Record<'topic' | 'poison' | 'refused', number>> }): void {
      batches.inc({ result: 'landed' });
      if (info.stored > 0) eventsLanded.inc(info.stored);
      if (info.duplicate > 0) duplicates.inc(info.duplicate);
      for (const [origin, n] of Object.entries(info.quarantine)) if (n > 0) quarantined.inc({ origin }, n);
    },
    countFailed(): void {
      batches.inc({ result: 'failed' });
    },
    countRetry(): void {
      retries.inc();
    },
    countCommitFailure(): void {
      commitFailures.inc();
    },
    countReconnect(): void {
      reconnects.inc();
    },
  };
}

export type LanderMetrics = ReturnType<typeof createLanderMetrics>;
