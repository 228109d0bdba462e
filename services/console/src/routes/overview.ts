import type { FastifyInstance } from 'fastify';
import { adminSecurity, iso } from '../lib/http.ts';
import type { IngestStatsReader } from '../lib/ingest-stats.ts';

/**
 * The ingest service's Prometheus registry, structurally (prom-client's Registry fits): the
 * console reads the outcome counters from it, since duplicates are never stored.
 */
export interface MetricsSource {
  registry: {
    getSingleMetric(name: string): { get(): Promise<{ values: ReadonlyArray<{ labels: Partial<Record<string, string | number>>; value: number }> }> } | undefined;
  };
}

async function outcomesSinceStart(metrics: MetricsSource | undefined): Promise<Record<string, number> | null> {
  const counter = metrics?.registry.getSingleMetric('sluice_events_total');
  if (!counter) return null;
  const totals: Record<string, number> = { accepted: 0, duplicate: 0, rejected: 0 };
  for (const { labels, value } of (await counter.get()).values) {
    const outcome = String(labels.outcome);
    totals[outcome] = (totals[outcome] ?? 0) + value;
  }
  return totals;
}

/** Kafka mode: the lander's consumer lag per partition (absent when no lander runs in this process). */
async function ingestLag(metrics: MetricsSource | undefined): Promise<{ messages: number; partitions: Record<string, number> } | null> {
  const gauge = metrics?.registry.getSingleMetric('sluice_lander_consumer_lag');
  if (!gauge) return null;
  const partitions: Record<string, number> = {};
  for (const { labels, value } of (await gauge.get()).values) partitions[`${labels.topic}:${labels.partition}`] = value;
  const values = Object.values(partitions);
  return values.length === 0 ? null : { messages: values.reduce((a, b) => a + b, 0), partitions };
}

export async function overviewRoutes(app: FastifyInstance, options: { stats: IngestStatsReader; metrics?: MetricsSource }): Promise<void> {
  app.get('/v1/admin/overview', {
    schema: {
      summary: 'Ingest overview: events per minute (24 h), outcome counts, top quarantine reasons', tags: ['admin'], security: adminSecurity,
      description: 'Per-minute counts by event type and by source over the last 24 hours of received time, from the warehouse; '
        + '`accepted` and `rejected` count the same window; `since_start` are this server\'s counters (duplicates are never stored). '
        + '`ingest_lag` is the Kafka consumer lag of the lander in this process (null otherwise). '
        + '`complete` is false while the first read of a large window is still catching up.',
    },
  }, async () => {
    const stats = await options.stats.read();
    return {
      window: { from: iso(stats.minutes[0]!), to: iso(stats.minutes[stats.minutes.length - 1]! + 60_000), step_seconds: 60 },
      minutes: stats.minutes,
      by_type: stats.byType,
      by_source: stats.bySource,
      accepted: stats.accepted,
      rejected: stats.rejected,
      top_reasons: stats.topReasons,
      since_start: await outcomesSinceStart(options.metrics),
      ingest_lag: await ingestLag(options.metrics),
      complete: stats.complete,
    };
  });
}
