import { SluiceError, type Config, type EventLog } from '@sluice/core';
import type { EventValidator } from '@sluice/schemas';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WriteKeyAuthenticator } from '../authenticate-write-key.ts';
import { assertEventCount, createEventIngestion, type IngestResult } from '../ingest-events.ts';
import type { IngestMetrics } from '../metrics.ts';
import { bearerToken } from '../write-keys.ts';
import { parseJsonOr } from './attributes.ts';
import { decodeTraceRequestJson } from './decode-json.ts';
import { decodeTraceRequestProtobuf } from './decode-protobuf.ts';
import { exportResponseJson, exportResponseProtobuf, grpcCodeForHttpStatus, rpcStatusProtobuf, type ExportOutcome } from './encode-response.ts';
import { mapSpanToEvents } from './map-span.ts';
import type { OtlpSpanRecord } from './model.ts';

export interface OtlpRoutesOptions {
  config: Pick<Config, 'ingest'>;
  eventLog: EventLog;
  validateEvent: EventValidator;
  metrics: IngestMetrics;
  authenticateWriteKey: WriteKeyAuthenticator;
}

const JSON_TYPE = 'application/json';
const PROTOBUF_TYPE = 'application/x-protobuf';
/** Rejected spans named in partial_success.error_message; the rest are counted. */
const MAX_REASONS = 5;

const exportResponseSchema = {
  type: 'object',
  description: 'ExportTraceServiceResponse (OTLP/JSON). Empty when every span was stored or ignored.',
  properties: {
    partialSuccess: {
      type: 'object',
      properties: {
        rejectedSpans: { type: 'integer', description: 'Spans whose events failed validation; they are kept in quarantine.' },
        errorMessage: { type: 'string', description: 'Why, for the first few rejected spans.' },
      },
    },
  },
} as const;

/**
 * POST /v1/otlp/v1/traces — OTLP/HTTP traces, JSON or protobuf, plain or gzip. Spans that record a
 * GenAI model call become `generation` events and `gen_ai.evaluation.result` span events become
 * `feedback`; every other span is ignored (and counted). The events then go through the same
 * write-key auth, rate limit, validation, quarantine and durable append as /v1/batch.
 */
export async function otlpRoutes(app: FastifyInstance, options: OtlpRoutesOptions): Promise<void> {
  const { config, metrics } = options;
  const ingestEvents = createEventIngestion({
    eventLog: options.eventLog, validateEvent: options.validateEvent, metrics, maxFutureSkewMs: config.ingest.maxFutureSkewMs,
  });

  app.addHook('onRequest', async (request) => {
    request.writeKey = options.authenticateWriteKey(bearerToken(request.headers.authorization));
  });

  // OTLP/HTTP wants errors to a protobuf request as a protobuf google.rpc.Status. The shared error
  // handler has already chosen status, Retry-After and message; this only re-encodes its body.
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 400 || mediaType(request) !== PROTOBUF_TYPE || typeof payload !== 'string') return payload;
    const body = parseJsonOr(payload) as { error?: { code?: unknown; message?: unknown } } | null;
    const message = body?.error ? `${String(body.error.code)}: ${String(body.error.message)}` : payload;
    void reply.header('content-type', PROTOBUF_TYPE);
    return Buffer.from(rpcStatusProtobuf(grpcCodeForHttpStatus(reply.statusCode), message));
  });

  app.post('/v1/otlp/v1/traces', {
    schema: {
      summary: 'Export OpenTelemetry traces (OTLP/HTTP)',
      description: 'An OTLP ExportTraceServiceRequest as `application/x-protobuf` or `application/json`, optionally gzip. '
        + 'GenAI model-call spans are stored as generation events, `gen_ai.evaluation.result` events as feedback. '
        + 'Auth: `Authorization: Bearer <write key>`. See docs/otel.md.',
      tags: ['ingest'],
      security: [{ writeKey: [] }],
      response: { 200: exportResponseSchema },
    },
    preValidation: async (request) => {
      const type = mediaType(request);
      if (type !== JSON_TYPE && type !== PROTOBUF_TYPE) {
        throw new SluiceError('SLUICE_ERR_UNSUPPORTED_MEDIA_TYPE', `Content-Type must be ${PROTOBUF_TYPE} or ${JSON_TYPE}`);
      }
    },
  }, async (request, reply) => {
    const receivedAt = Date.now();
    const protobuf = mediaType(request) === PROTOBUF_TYPE;
    const records = protobuf ? decodeTraceRequestProtobuf(request.body as Buffer) : decodeTraceRequestJson(request.body);
    const outcome = await landSpans(request, records, receivedAt);
    if (!protobuf) return exportResponseJson(outcome);
    return reply.header('content-type', PROTOBUF_TYPE).send(Buffer.from(exportResponseProtobuf(outcome)));
  });

  async function landSpans(request: FastifyRequest, records: OtlpSpanRecord[], receivedAt: number): Promise<ExportOutcome> {
    const writeKey = request.writeKey!;
    const entries: unknown[] = [];
    const spanOfEntry: number[] = [];
    let ignored = 0;
    records.forEach((record, spanIndex) => {
      const events = mapSpanToEvents(record);
      if (events.length === 0) ignored++;
      for (const event of events) {
        entries.push(event);
        spanOfEntry.push(spanIndex);
      }
    });
    assertEventCount(entries.length, config.ingest.maxEventsPerBatch);
    const result: IngestResult = entries.length === 0 ? { accepted: 0, duplicates: 0, rejected: [] } : await ingestEvents(entries, {
      writeKey, receivedAt, batchSentAt: null, clientIp: config.ingest.storeClientIp ? request.ip : null,
    });

    // A span is rejected when any of its events is; the first reason per span is reported.
    const reasons = new Map<number, string>();
    for (const r of result.rejected) {
      const spanIndex = spanOfEntry[r.index]!;
      if (!reasons.has(spanIndex)) {
        const { span } = records[spanIndex]!;
        reasons.set(spanIndex, `span ${span.spanId || '(no id)'} of trace ${span.traceId || '(no id)'}: ${r.code} at ${r.pointer || '/'}: ${r.message}`);
      }
    }
    metrics.countOtlpSpans('mapped', writeKey.source, records.length - ignored - reasons.size);
    metrics.countOtlpSpans('ignored', writeKey.source, ignored);
    metrics.countOtlpSpans('rejected', writeKey.source, reasons.size);
    return { rejectedSpans: reasons.size, errorMessage: describeRejections([...reasons.values()]) };
  }
}

function describeRejections(reasons: string[]): string {
  if (reasons.length === 0) return '';
  const shown = reasons.slice(0, MAX_REASONS).join('; ');
  const more = reasons.length > MAX_REASONS ? `; and ${reasons.length - MAX_REASONS} more` : '';
  return `${reasons.length} span(s) rejected and kept in quarantine (fix the instrumentation; do not resend unchanged): ${shown}${more}`;
}

function mediaType(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}
