import type { MaterializationStatus } from '@sluice/warehouse-duckdb';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The ingest service's Prometheus metrics, on a registry of its own (no global default registry,
 * so tests and several apps in one process never share counters).
 */
export function createIngestMetrics() {
  const registry = new Registry();
  const events = new Counter({
    name: 'sluice_events_total',
    help: 'Events received, by outcome (accepted | duplicate | rejected), type and source.',
    labelNames: ['outcome', 'type', 'source'] as const,
    registers: [registry],
  });
  const otlpSpans = new Counter({
    name: 'sluice_otlp_spans_total',
    help: 'OTLP spans received, by outcome (mapped: stored as events | ignored: no GenAI model call or evaluation | rejected) and source.',
    labelNames: ['outcome', 'source'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'sluice_http_request_duration_seconds',
    help: 'HTTP request latency, from arrival to response, by route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: 'sluice_write_queue_events',
    help: 'Events accepted by the event log and not yet durable (in flight + waiting).',
    registers: [registry],
  });
  const commitSize = new Histogram({
    name: 'sluice_group_commit_events',
    help: 'Events (accepted + quarantined) written per group commit.',
    buckets: [1, 10, 100, 500, 1000, 2500, 5000, 10000, 20000],
    registers: [registry],
  });
  const commitDuration = new Histogram({
    name: 'sluice_group_commit_duration_seconds',
    help: 'Duration of one group commit, by result.',
    labelNames: ['result'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  /** Filled in by `watchMaterialization` when the warehouse stages acknowledged events (DuckDB). */
  let materialization: (() => MaterializationStatus) | null = null;
  new Gauge({
    name: 'sluice_materialize_pending_events',
    help: 'Acknowledged events staged in the embedded store and not yet materialised into events.',
    registers: [registry],
    collect() { if (materialization) this.set(materialization().pendingEvents); },
  });
  new Gauge({
    name: 'sluice_materialized_events',
    help: 'Events materialised from the staging log into events since the process started.',
    registers: [registry],
    collect() { if (materialization) this.set(materialization().materializedEvents); },
  });
  new Gauge({
    name: 'sluice_materialize_busy_seconds',
    help: 'Time spent in materialisation transactions since the process started.',
    registers: [registry],
    collect() { if (materialization) this.set(materialization().busyMs / 1000); },
  });

  /** Filled in by `watchPreparation` when /v1/batch bodies go to the preparation thread (decision 0020). */
  let preparationWaitingBytes: (() => number) | null = null;
  new Gauge({
    name: 'sluice_preparation_waiting_bytes',
    help: 'Bytes of request bodies sent to the preparation thread and not yet prepared (past 256 MiB, requests get 503).',
    registers: [registry],
    collect() { if (preparationWaitingBytes) this.set(preparationWaitingBytes()); },
  });

  return {
    registry,
    watchMaterialization(status: () => MaterializationStatus): void {
      materialization = status;
    },
    watchPreparation(waitingBytes: () => number): void {
      preparationWaitingBytes = waitingBytes;
    },
    /** Counts a request's events with one increment per distinct label set. */
    countEvents(outcome: 'accepted' | 'duplicate' | 'rejected', source: string, types: readonly string[]): void {
      const byType = new Map<string, number>();
      for (const type of types) byType.set(type, (byType.get(type) ?? 0) + 1);
      for (const [type, n] of byType) events.inc({ outcome, type, source }, n);
    },
    countOtlpSpans(outcome: 'mapped' | 'ignored' | 'rejected', source: string, spans: number): void {
      if (spans > 0) otlpSpans.inc({ outcome, source }, spans);
    },
    observeRequest(method: string, route: string, status: number, seconds: number): void {
      requestDuration.observe({ method, route, status: String(status) }, seconds);
    },
    observeCommit(info: { events: number; durationMs: number; ok: boolean }): void {
      commitSize.observe(info.events);
      commitDuration.observe({ result: info.ok ? 'ok' : 'error' }, info.durationMs / 1000);
    },
    setQueueDepth(events: number): void {
      queueDepth.set(events);
    },
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
