import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_TOKEN, createTestApp, exampleEvent, postBatch, removeDir, storedEvents, testConfig, type TestApp } from './helpers.ts';
import {
  double, httpSpan, openInferenceSpan, openLlmetrySpan, postTraces, readFields, semconvChatSpan, span, traceRequest, type SpanJson,
} from './otlp-fixtures.ts';

const evaluation = {
  name: 'gen_ai.evaluation.result',
  attributes: { 'gen_ai.evaluation.name': 'Helpfulness', 'gen_ai.evaluation.score.value': double(4), 'gen_ai.evaluation.explanation': 'Solved it.' },
};

/** The four instrumentation styles plus a plain HTTP span: three generations and one feedback expected. */
function mixedSpans(): SpanJson[] {
  return [semconvChatSpan({ events: [evaluation] }), openLlmetrySpan(), openInferenceSpan(), httpSpan()];
}

/** Stored rows of one trace, by the trace id the span carried. */
async function rowsOfTraces(t: TestApp, spans: SpanJson[]) {
  const traceIds = new Set(spans.map((s) => s.traceId));
  return (await storedEvents(t.app)).filter((row) => traceIds.has(row.trace_id as string));
}

async function metricValue(t: TestApp, outcome: string): Promise<number> {
  const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  const match = new RegExp(`sluice_otlp_spans_total\\{outcome="${outcome}",source="support-web"\\} (\\d+)`).exec(text);
  return match ? Number(match[1]) : 0;
}

describe('POST /v1/otlp/v1/traces', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp(); });
  after(async () => { await t.close(); await removeDir(t.dir); });

  test('OTLP/JSON: GenAI spans are stored as generation and feedback events; other spans are ignored and counted', async () => {
    const ignoredBefore = await metricValue(t, 'ignored');
    const spans = mixedSpans();
    const response = await postTraces(t.app, traceRequest(spans));
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^application\/json/);
    assert.deepEqual(response.json(), {}, 'a full success leaves partialSuccess unset');

    const rows = await rowsOfTraces(t, spans);
    assert.deepEqual(rows.map((r) => r.type).sort(), ['feedback', 'generation', 'generation', 'generation']);
    const byModel = new Map(rows.filter((r) => r.type === 'generation').map((r) => [(r.event as { model: string }).model, r]));
    assert.deepEqual([...byModel.keys()].sort(), ['claude-sonnet-4-5', 'gpt-4o', 'gpt-4o-mini']);

    const chat = byModel.get('gpt-4o')!;
    assert.equal(chat.source, 'support-web');
    assert.equal(chat.user_id, 'u_42');
    assert.equal(chat.session_id, 'conv_5j66UpCpwteGg4YSxUnt7lPY');
    assert.equal(chat.trace_id, spans[0]!.traceId);
    assert.equal(chat.occurred_at, '2026-01-01T00:00:01.234Z');
    const event = chat.event as Record<string, unknown>;
    assert.equal((event.input as unknown[]).length, 4);
    assert.deepEqual(event.output, [{ role: 'assistant', content: 'It is rainy in Paris, 57°F.' }]);
    assert.deepEqual(event.usage, { input_tokens: 48, output_tokens: 12 });

    const feedback = rows.find((r) => r.type === 'feedback')!;
    assert.deepEqual((feedback.event as { target: unknown }).target, { generation_id: event.generation_id });
    assert.deepEqual([(feedback.event as { kind: string }).kind, (feedback.event as { value: number }).value], ['rating', 4]);

    assert.equal(await metricValue(t, 'ignored'), ignoredBefore + 1);
  });

  test('OTLP/protobuf (also gzip) stores the same events as OTLP/JSON, and answers in protobuf', async () => {
    const jsonSpans = mixedSpans();
    const protobufSpans = mixedSpans();
    await postTraces(t.app, traceRequest(jsonSpans));
    const response = await postTraces(t.app, traceRequest(protobufSpans), { protobuf: true, gzip: true });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/x-protobuf');
    assert.equal(response.rawPayload.length, 0, 'an empty ExportTraceServiceResponse');

    // Same spans but for their ids: the payloads must match once ids are taken out.
    const strip = (row: Record<string, unknown>) => {
      const { event_id: _e, trace_id: _t, parent_id: _p, generation_id: _g, target: _target, properties: _props, anonymous_id: _a, ...rest } = row.event as Record<string, unknown>;
      return JSON.stringify(rest);
    };
    const fromJson = (await rowsOfTraces(t, jsonSpans)).map(strip).sort();
    const fromProtobuf = (await rowsOfTraces(t, protobufSpans)).map(strip).sort();
    assert.equal(fromProtobuf.length, 4);
    assert.deepEqual(fromProtobuf, fromJson);
  });

  test('a re-sent span is a duplicate: stored once, whichever encoding it comes in', async () => {
    const spans = [semconvChatSpan({ events: [evaluation] })];
    const first = await postTraces(t.app, traceRequest(spans), { protobuf: true });
    assert.equal(first.statusCode, 200);
    const again = await postTraces(t.app, traceRequest(spans));
    assert.deepEqual(again.json(), {});
    await postTraces(t.app, traceRequest(spans), { protobuf: true, gzip: true });
    const rows = await rowsOfTraces(t, spans);
    assert.deepEqual(rows.map((r) => r.type).sort(), ['feedback', 'generation']);
  });

  test('spans whose events fail validation are rejected in partialSuccess and quarantined; the rest are stored', async () => {
    const good = semconvChatSpan();
    const noModel = semconvChatSpan();
    noModel.attributes = noModel.attributes.filter((a) => a.key !== 'gen_ai.request.model' && a.key !== 'gen_ai.response.model');
    const badEvaluation = span({
      name: 'judge', attributes: { 'user.id': 'u' },
      events: [{ name: 'gen_ai.evaluation.result', attributes: { 'gen_ai.evaluation.score.label': 'x'.repeat(2000) } }],
    });
    const rejectedBefore = await metricValue(t, 'rejected');

    const response = await postTraces(t.app, traceRequest([good, noModel, badEvaluation, httpSpan()]));
    assert.equal(response.statusCode, 200);
    const body = response.json() as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    assert.equal(body.partialSuccess.rejectedSpans, 2);
    assert.match(body.partialSuccess.errorMessage, new RegExp(`span ${noModel.spanId} of trace ${noModel.traceId}: SLUICE_ERR_EVENT_INVALID at /model`));
    assert.match(body.partialSuccess.errorMessage, /SLUICE_ERR_EVENT_INVALID at \/value/);
    assert.equal((await rowsOfTraces(t, [good])).length, 1);
    assert.equal((await rowsOfTraces(t, [noModel, badEvaluation])).length, 0);
    assert.equal(await metricValue(t, 'rejected'), rejectedBefore + 2);

    const quarantine = await t.app.inject({ method: 'GET', url: '/v1/quarantine?limit=1000', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const rows = (quarantine.json() as { quarantine: Array<Record<string, unknown>> }).quarantine;
    const row = rows.find((r) => (r.payload as { trace_id?: string }).trace_id === noModel.traceId);
    assert.ok(row, 'the mapped event is in quarantine');
    assert.equal(row.pointer, '/model');
    assert.equal((row.payload as { type: string }).type, 'generation');

    const protobuf = await postTraces(t.app, traceRequest([{ ...noModel, spanId: 'aaaaaaaaaaaaaaaa' }]), { protobuf: true });
    assert.equal(protobuf.statusCode, 200);
    const partial = readFields(readFields(protobuf.rawPayload).get(1)![0] as Buffer);
    assert.equal(partial.get(1)![0], 1n);
    assert.match((partial.get(2)![0] as Buffer).toString(), /SLUICE_ERR_EVENT_INVALID/);
  });

  test('errors: auth, media type, malformed bodies; a protobuf request gets a protobuf google.rpc.Status', async () => {
    const unauthorized = await postTraces(t.app, traceRequest([]), { headers: { authorization: 'Bearer nope' } });
    assert.equal(unauthorized.statusCode, 401);
    assert.equal(unauthorized.json().error.code, 'SLUICE_ERR_UNAUTHORIZED');

    const unauthorizedProtobuf = await postTraces(t.app, traceRequest([]), { protobuf: true, headers: { authorization: '' } });
    assert.equal(unauthorizedProtobuf.statusCode, 401);
    assert.equal(unauthorizedProtobuf.headers['content-type'], 'application/x-protobuf');
    const status = readFields(unauthorizedProtobuf.rawPayload);
    assert.equal(status.get(1)![0], 16n, 'UNAUTHENTICATED');
    assert.match((status.get(2)![0] as Buffer).toString(), /^SLUICE_ERR_UNAUTHORIZED: /);

    const malformed = await t.app.inject({
      method: 'POST', url: '/v1/otlp/v1/traces', payload: Buffer.from([0x0a, 0x10, 0x01]),
      headers: { authorization: 'Bearer sk_test_support_web', 'content-type': 'application/x-protobuf' },
    });
    assert.equal(malformed.statusCode, 400);
    assert.match((readFields(malformed.rawPayload).get(2)![0] as Buffer).toString(), /^SLUICE_ERR_MALFORMED_PROTOBUF: /);

    const notOtlp = await postTraces(t.app, { resourceSpans: 'all of them' });
    assert.equal(notOtlp.statusCode, 400);
    assert.equal(notOtlp.json().error.code, 'SLUICE_ERR_OTLP_INVALID');

    const textPlain = await postTraces(t.app, traceRequest([]), { headers: { 'content-type': 'text/plain' } });
    assert.equal(textPlain.statusCode, 415);

    const badGzip = await postTraces(t.app, 'not gzip', { headers: { 'content-encoding': 'gzip', 'content-type': 'application/x-protobuf' } });
    assert.equal(badGzip.statusCode, 400);

    const empty = await postTraces(t.app, traceRequest([]), { protobuf: true });
    assert.equal(empty.statusCode, 200);
  });

  test('protobuf bodies are not accepted on /v1/batch', async () => {
    const response = await postBatch(t.app, Buffer.from([0x0a, 0x00]), { 'content-type': 'application/x-protobuf' });
    assert.equal(response.statusCode, 415);
  });
});

describe('POST /v1/otlp/v1/traces limits', () => {
  test('a write key has one rate-limit budget across /v1/batch and OTLP', async () => {
    const t = await createTestApp({ config: testConfig({ ingest: { rateLimitPerSecond: 0.01, rateLimitBurst: 1 } }) });
    try {
      assert.equal((await postBatch(t.app, { events: [exampleEvent('track')] })).statusCode, 200);
      const limited = await postTraces(t.app, traceRequest([semconvChatSpan()]), { protobuf: true });
      assert.equal(limited.statusCode, 429);
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      assert.equal(readFields(limited.rawPayload).get(1)![0], 8n, 'RESOURCE_EXHAUSTED');
    } finally {
      await t.close();
      await removeDir(t.dir);
    }
  });

  test('more events than SLUICE_MAX_EVENTS_PER_BATCH in one export is a 413', async () => {
    const t = await createTestApp({ config: testConfig({ ingest: { maxEventsPerBatch: 2, rateLimitPerSecond: 0 } }) });
    try {
      const spans = [semconvChatSpan(), semconvChatSpan(), semconvChatSpan(), httpSpan(), httpSpan()];
      const response = await postTraces(t.app, traceRequest(spans));
      assert.equal(response.statusCode, 413);
      assert.equal(response.json().error.code, 'SLUICE_ERR_BATCH_TOO_MANY_EVENTS');
      assert.equal((await postTraces(t.app, traceRequest(spans.slice(1)))).statusCode, 200, 'ignored spans do not count');
    } finally {
      await t.close();
      await removeDir(t.dir);
    }
  });
});
