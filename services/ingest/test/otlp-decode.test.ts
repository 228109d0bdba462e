import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SluiceError } from '@sluice/core';
import { decodeTraceRequestJson } from '../src/otlp/decode-json.ts';
import { decodeTraceRequestProtobuf } from '../src/otlp/decode-protobuf.ts';
import { exportResponseJson, exportResponseProtobuf, rpcStatusProtobuf } from '../src/otlp/encode-response.ts';
import { double, encodeTraceRequest, readFields, semconvChatSpan, span, traceRequest } from './otlp-fixtures.ts';

const rejectsWith = (code: string, fn: () => unknown, message?: RegExp) =>
  assert.throws(fn, (error: unknown) => error instanceof SluiceError && error.code === code && (!message || message.test(error.message)));

const request = traceRequest([
  semconvChatSpan({ parentSpanId: '00f067aa0ba902b7', statusCode: 2, events: [{ name: 'gen_ai.evaluation.result', attributes: { 'gen_ai.evaluation.score.value': double(4) } }] }),
  span({
    name: 'values',
    attributes: {
      s: 'text', i: 42, neg: -7, d: double(2.5), b: false, list: ['a', 1, true], map: { nested: { deeper: [double(1.5)] } },
    },
  }),
], { 'service.name': 'svc', 'deployment.environment': 'test' });

describe('OTLP/protobuf and OTLP/JSON decode to the same spans', () => {
  test('every field the mappers read, and every AnyValue kind', () => {
    const fromJson = decodeTraceRequestJson(JSON.parse(JSON.stringify(request)));
    const fromProtobuf = decodeTraceRequestProtobuf(encodeTraceRequest(request));
    assert.deepEqual(fromProtobuf, fromJson);
    assert.equal(fromJson.length, 2);
    const [chat, values] = fromJson;
    assert.equal(chat!.span.parentSpanId, '00f067aa0ba902b7');
    assert.equal(chat!.span.statusCode, 2);
    assert.equal(chat!.span.endTimeUnixNano - chat!.span.startTimeUnixNano, 1_234_000_000n);
    assert.equal(chat!.span.events[0]!.attributes.get('gen_ai.evaluation.score.value'), 4);
    assert.deepEqual(chat!.scope, { name: 'test-instrumentation', version: '1.0.0' });
    assert.equal(chat!.resource.get('deployment.environment'), 'test');
    assert.deepEqual(Object.fromEntries(values!.span.attributes), {
      s: 'text', i: 42, neg: -7, d: 2.5, b: false, list: ['a', 1, true], map: { nested: { deeper: [1.5] } },
    });
  });

  test('protobuf: unknown fields are skipped, and the resource may follow its spans', () => {
    const unknownField = Buffer.from([0xf8, 0x06, 0x01]); // field 111, varint 1
    const body = Buffer.concat([unknownField, encodeTraceRequest(request), unknownField]);
    assert.equal(decodeTraceRequestProtobuf(body).length, 2);
    assert.deepEqual(decodeTraceRequestProtobuf(Buffer.alloc(0)), []);
  });

  test('protobuf: int64 beyond 2^53 stays exact (as a decimal string), bytes values become base64', () => {
    // KeyValue{key:"big", value:AnyValue{int_value: 2^63-1}} and {key:"raw", value:{bytes_value:"hi"}} in a span in a scope in a resource.
    const kvBig = Buffer.from([0x0a, 0x03, ...Buffer.from('big'), 0x12, 0x0a, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    const kvRaw = Buffer.from([0x0a, 0x03, ...Buffer.from('raw'), 0x12, 0x04, 0x3a, 0x02, ...Buffer.from('hi')]);
    const spanBytes = Buffer.concat([Buffer.from([0x4a, kvBig.length]), kvBig, Buffer.from([0x4a, kvRaw.length]), kvRaw]);
    const scope = Buffer.concat([Buffer.from([0x12, spanBytes.length]), spanBytes]);
    const resourceSpans = Buffer.concat([Buffer.from([0x12, scope.length]), scope]);
    const [record] = decodeTraceRequestProtobuf(Buffer.concat([Buffer.from([0x0a, resourceSpans.length]), resourceSpans]));
    assert.equal(record!.span.attributes.get('big'), '9223372036854775807');
    assert.equal(record!.span.attributes.get('raw'), 'aGk=');
  });

  test('protobuf: a truncated body, a wrong wire type or absurd nesting is SLUICE_ERR_MALFORMED_PROTOBUF', () => {
    const body = encodeTraceRequest(request);
    rejectsWith('SLUICE_ERR_MALFORMED_PROTOBUF', () => decodeTraceRequestProtobuf(body.subarray(0, body.length - 3)));
    rejectsWith('SLUICE_ERR_MALFORMED_PROTOBUF', () => decodeTraceRequestProtobuf(Buffer.from([0x08, 0x01])), /resource_spans has wire type 0/);
    rejectsWith('SLUICE_ERR_MALFORMED_PROTOBUF', () => decodeTraceRequestProtobuf(Buffer.from([0x0b])), /wire type 3/);
    let value = Buffer.from([0x0a, 0x01, 0x78]); // AnyValue{string_value:"x"}
    for (let i = 0; i < 40; i++) {
      const array = Buffer.concat([Buffer.from([0x0a]), varint(value.length), value]); // ArrayValue{values: value}
      value = Buffer.concat([Buffer.from([0x2a]), varint(array.length), array]); // AnyValue{array_value}
    }
    const kv = Buffer.concat([Buffer.from([0x0a, 0x01, 0x6b, 0x12]), varint(value.length), value]);
    const spanBytes = Buffer.concat([Buffer.from([0x4a]), varint(kv.length), kv]);
    const scope = Buffer.concat([Buffer.from([0x12]), varint(spanBytes.length), spanBytes]);
    const rs = Buffer.concat([Buffer.from([0x12]), varint(scope.length), scope]);
    rejectsWith('SLUICE_ERR_MALFORMED_PROTOBUF', () => decodeTraceRequestProtobuf(Buffer.concat([Buffer.from([0x0a]), varint(rs.length), rs])), /nested deeper/);
  });
});

describe('OTLP/JSON specifics', () => {
  test('proto field names, numeric int64, enum names and base64 ids are accepted', () => {
    const [record] = decodeTraceRequestJson({
      resource_spans: [{
        scope_spans: [{
          spans: [{
            trace_id: 'W47/95gDgQPSabYzgT/GDA==', span_id: '7uGbfsPBsXQ=', name: 'x',
            start_time_unix_nano: 1767225600000000000, status: { code: 'STATUS_CODE_ERROR' },
            attributes: [{ key: 'n', value: { int_value: 5 } }, { key: 'd', value: { doubleValue: 'NaN' } }, { key: 'empty', value: {} }],
          }],
        }],
      }],
    });
    assert.equal(record!.span.traceId, '5b8efff798038103d269b633813fc60c');
    assert.equal(record!.span.spanId, 'eee19b7ec3c1b174');
    assert.equal(record!.span.statusCode, 2);
    assert.deepEqual(Object.fromEntries(record!.span.attributes), { n: 5, d: 'NaN', empty: null });
    assert.deepEqual(decodeTraceRequestJson({}), []);
  });

  test('a body that is not an ExportTraceServiceRequest is SLUICE_ERR_OTLP_INVALID with the path of the problem', () => {
    rejectsWith('SLUICE_ERR_OTLP_INVALID', () => decodeTraceRequestJson([]), /\(body\)/);
    rejectsWith('SLUICE_ERR_OTLP_INVALID', () => decodeTraceRequestJson({ resourceSpans: {} }), /resourceSpans must be an array/);
    rejectsWith('SLUICE_ERR_OTLP_INVALID', () => decodeTraceRequestJson({ resourceSpans: [{ scopeSpans: [{ spans: [{ attributes: [{ key: 1 }] }] }] }] }),
      /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes\[0\]\.key must be a string/);
    rejectsWith('SLUICE_ERR_OTLP_INVALID', () => decodeTraceRequestJson({ resourceSpans: [{ scopeSpans: [{ spans: [{ startTimeUnixNano: 'soon' }] }] }] }),
      /startTimeUnixNano/);
  });
});

describe('responses', () => {
  test('ExportTraceServiceResponse: empty on full success, partial_success with rejected_spans and error_message otherwise', () => {
    assert.equal(exportResponseProtobuf({ rejectedSpans: 0, errorMessage: '' }).length, 0);
    assert.deepEqual(exportResponseJson({ rejectedSpans: 0, errorMessage: '' }), {});
    const bytes = Buffer.from(exportResponseProtobuf({ rejectedSpans: 300, errorMessage: 'bad span' }));
    const partial = readFields(readFields(bytes).get(1)![0] as Buffer);
    assert.equal(partial.get(1)![0], 300n);
    assert.equal((partial.get(2)![0] as Buffer).toString(), 'bad span');
    assert.deepEqual(exportResponseJson({ rejectedSpans: 2, errorMessage: 'x' }), { partialSuccess: { rejectedSpans: 2, errorMessage: 'x' } });
  });

  test('google.rpc.Status', () => {
    const status = readFields(Buffer.from(rpcStatusProtobuf(16, 'SLUICE_ERR_UNAUTHORIZED: no')));
    assert.equal(status.get(1)![0], 16n);
    assert.equal((status.get(2)![0] as Buffer).toString(), 'SLUICE_ERR_UNAUTHORIZED: no');
  });
});

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}
