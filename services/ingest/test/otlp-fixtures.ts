/**
 * OTLP test data: spans shaped like those real instrumentations emit, built in the OTLP/JSON
 * shape, and a small protobuf encoder for the same requests. The encoder is written from the
 * .proto field numbers independently of src/otlp/decode-protobuf.ts, so a decoder bug is not
 * mirrored here.
 */
import type { FastifyInstance } from 'fastify';
import { gzipSync } from 'node:zlib';
import { WRITE_KEY } from './helpers.ts';

/** Marks a number as an OTLP double (JS cannot tell 1.0 from 1). */
export class Double {
  readonly value: number;
  constructor(value: number) { this.value = value; }
}
export const double = (value: number) => new Double(value);

export type AnyValueJson = Record<string, unknown>;
export interface KeyValueJson { key: string; value: AnyValueJson }
export interface SpanEventJson { name: string; timeUnixNano: string; attributes: KeyValueJson[] }
export interface SpanJson {
  traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number;
  startTimeUnixNano: string; endTimeUnixNano: string; attributes: KeyValueJson[]; events: SpanEventJson[];
  status: { code: number; message?: string };
}

/** A JS value as an OTLP AnyValue: integers as intValue (a decimal string, as exporters write it). */
export function anyValue(value: unknown): AnyValueJson {
  if (value instanceof Double) return { doubleValue: value.value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (typeof value === 'object' && value !== null) return { kvlistValue: { values: keyValues(value as Record<string, unknown>) } };
  return {};
}

export function keyValues(values: Record<string, unknown>): KeyValueJson[] {
  return Object.entries(values).map(([key, value]) => ({ key, value: anyValue(value) }));
}

let nextId = 1;
/** A fresh hex id of `bytes` bytes, unique within the process. */
export function hexId(bytes: 16 | 8): string {
  const n = (nextId++).toString(16);
  return '4bf92f3577b34da6a3ce929d0e0e4736'.slice(0, bytes * 2 - n.length) + n;
}

export const START_NS = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z
export const END_NS = START_NS + 1_234_000_000n; // 1.234 s later

export function span(options: {
  name: string;
  attributes: Record<string, unknown>;
  traceId?: string; spanId?: string; parentSpanId?: string;
  events?: Array<{ name: string; attributes: Record<string, unknown>; timeUnixNano?: bigint }>;
  statusCode?: number;
}): SpanJson {
  return {
    traceId: options.traceId ?? hexId(16),
    spanId: options.spanId ?? hexId(8),
    ...(options.parentSpanId ? { parentSpanId: options.parentSpanId } : {}),
    name: options.name,
    kind: 3,
    startTimeUnixNano: String(START_NS),
    endTimeUnixNano: String(END_NS),
    attributes: keyValues(options.attributes),
    events: (options.events ?? []).map((e) => ({
      name: e.name, timeUnixNano: String(e.timeUnixNano ?? END_NS + 5_000_000_000n), attributes: keyValues(e.attributes),
    })),
    status: { code: options.statusCode ?? 0 },
  };
}

export function traceRequest(spans: SpanJson[], resource: Record<string, unknown> = { 'service.name': 'support-bot' }) {
  return {
    resourceSpans: [{
      resource: { attributes: keyValues(resource) },
      scopeSpans: [{ scope: { name: 'test-instrumentation', version: '1.0.0' }, spans }],
    }],
  };
}

// ---- Spans as instrumentations emit them -------------------------------------------------------

/** Current GenAI semconv (v1.37+), messages recorded as JSON strings, as the Python openai-v2 instrumentation does. */
export function semconvChatSpan(overrides: Partial<Parameters<typeof span>[0]> = {}, extraAttributes: Record<string, unknown> = {}): SpanJson {
  return span({
    name: 'chat gpt-4o',
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.response.id': `chatcmpl-${hexId(8)}`,
      'gen_ai.request.temperature': double(0.2),
      'gen_ai.request.max_tokens': 256,
      'gen_ai.usage.input_tokens': 48,
      'gen_ai.usage.output_tokens': 12,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.conversation.id': 'conv_5j66UpCpwteGg4YSxUnt7lPY',
      'user.id': 'u_42',
      'server.address': 'api.openai.com',
      'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You are a weather assistant.' }]),
      'gen_ai.input.messages': JSON.stringify(semconvInputMessages),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: 'It is rainy in Paris, 57°F.' }], finish_reason: 'stop' },
      ]),
      'gen_ai.tool.definitions': JSON.stringify([{
        type: 'function', name: 'get_weather', description: 'Current weather for a city',
        parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
      }]),
      ...extraAttributes,
    },
    ...overrides,
  });
}

export const semconvInputMessages = [
  { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
  { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_VSPygqKTWdrhaFErNvMV18Yl', name: 'get_weather', arguments: { location: 'Paris' } }] },
  { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_VSPygqKTWdrhaFErNvMV18Yl', response: 'rainy, 57°F' }] },
];

/** OpenLLMetry (Traceloop) OpenAI instrumentation: indexed gen_ai.prompt / gen_ai.completion attributes. */
export function openLlmetrySpan(): SpanJson {
  return span({
    name: 'openai.chat',
    attributes: {
      'llm.request.type': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': `chatcmpl-${hexId(8)}`,
      'llm.is_streaming': false,
      'gen_ai.openai.api_base': 'https://api.openai.com/v1/',
      'gen_ai.prompt.0.role': 'system',
      'gen_ai.prompt.0.content': 'You book flights.',
      'gen_ai.prompt.1.role': 'user',
      'gen_ai.prompt.1.content': 'Book me a flight to Lisbon on Friday.',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.finish_reason': 'tool_calls',
      'gen_ai.completion.0.tool_calls.0.id': 'call_abc',
      'gen_ai.completion.0.tool_calls.0.name': 'book_flight',
      'gen_ai.completion.0.tool_calls.0.arguments': '{"destination":"LIS","day":"friday"}',
      'llm.request.functions.0.name': 'book_flight',
      'llm.request.functions.0.description': 'Book a flight',
      'llm.request.functions.0.parameters': '{"type":"object","properties":{"destination":{"type":"string"}}}',
      'gen_ai.usage.prompt_tokens': 82,
      'gen_ai.usage.completion_tokens': 17,
      'llm.usage.total_tokens': 99,
      'traceloop.association.properties.user_id': 'u_7',
      'traceloop.association.properties.session_id': 'chat-77',
    },
  });
}

/** OpenInference (Arize Phoenix) Anthropic instrumentation: llm.* attributes, no gen_ai.* at all. */
export function openInferenceSpan(): SpanJson {
  return span({
    name: 'Messages',
    attributes: {
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'claude-sonnet-4-5',
      'llm.provider': 'anthropic',
      'llm.system': 'anthropic',
      'llm.invocation_parameters': '{"max_tokens": 1024, "temperature": 0.5, "stream": false}',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.contents.0.message_content.type': 'text',
      'llm.input_messages.0.message.contents.0.message_content.text': 'What is in this picture?',
      'llm.input_messages.0.message.contents.1.message_content.type': 'image',
      'llm.input_messages.0.message.contents.1.message_content.image.image.url': 'https://example.com/cat.png',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'A cat on a sofa.',
      'llm.token_count.prompt': 30,
      'llm.token_count.completion': 8,
      'llm.token_count.total': 38,
      'input.value': '{"messages": [...]}',
      'session.id': 'thread-3',
      'user.id': 'alice',
    },
  });
}

/** A span with no GenAI attributes at all: ignored. */
export function httpSpan(): SpanJson {
  return span({
    name: 'POST /api/chat',
    attributes: { 'http.request.method': 'POST', 'url.path': '/api/chat', 'http.response.status_code': 200 },
  });
}

// ---- OTLP/protobuf encoding ------------------------------------------------------------------

function varint(value: bigint): number[] {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const tag = (field: number, wireType: number) => varint(BigInt((field << 3) | wireType));
const len = (field: number, bytes: Buffer | Uint8Array) => Buffer.concat([Buffer.from([...tag(field, 2), ...varint(BigInt(bytes.length))]), bytes]);
const str = (field: number, text: string) => len(field, Buffer.from(text, 'utf8'));
const fixed64 = (field: number, value: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return Buffer.concat([Buffer.from(tag(field, 1)), b]);
};
const uvarint = (field: number, value: bigint) => Buffer.from([...tag(field, 0), ...varint(value)]);

function encodeAnyValue(v: AnyValueJson): Buffer {
  if ('stringValue' in v) return str(1, v.stringValue as string);
  if ('boolValue' in v) return uvarint(2, v.boolValue ? 1n : 0n);
  if ('intValue' in v) return uvarint(3, BigInt(v.intValue as string));
  if ('doubleValue' in v) {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v.doubleValue as number);
    return Buffer.concat([Buffer.from(tag(4, 1)), b]);
  }
  if ('arrayValue' in v) return len(5, Buffer.concat((v.arrayValue as { values: AnyValueJson[] }).values.map((x) => len(1, encodeAnyValue(x)))));
  if ('kvlistValue' in v) return len(6, Buffer.concat((v.kvlistValue as { values: KeyValueJson[] }).values.map((kv) => len(1, encodeKeyValue(kv)))));
  return Buffer.alloc(0);
}
const encodeKeyValue = (kv: KeyValueJson) => Buffer.concat([str(1, kv.key), len(2, encodeAnyValue(kv.value))]);

function encodeSpan(s: SpanJson): Buffer {
  return Buffer.concat([
    len(1, Buffer.from(s.traceId, 'hex')),
    len(2, Buffer.from(s.spanId, 'hex')),
    ...(s.parentSpanId ? [len(4, Buffer.from(s.parentSpanId, 'hex'))] : []),
    str(5, s.name),
    uvarint(6, BigInt(s.kind)),
    fixed64(7, BigInt(s.startTimeUnixNano)),
    fixed64(8, BigInt(s.endTimeUnixNano)),
    ...s.attributes.map((kv) => len(9, encodeKeyValue(kv))),
    ...s.events.map((e) => len(11, Buffer.concat([fixed64(1, BigInt(e.timeUnixNano)), str(2, e.name), ...e.attributes.map((kv) => len(3, encodeKeyValue(kv)))]))),
    len(15, s.status.code ? uvarint(3, BigInt(s.status.code)) : Buffer.alloc(0)),
  ]);
}

/** ExportTraceServiceRequest, protobuf-encoded, from the JSON-shaped request built above. */
export function encodeTraceRequest(request: ReturnType<typeof traceRequest>): Buffer {
  return Buffer.concat(request.resourceSpans.map((rs) => len(1, Buffer.concat([
    len(1, Buffer.concat(rs.resource.attributes.map((kv) => len(1, encodeKeyValue(kv))))),
    ...rs.scopeSpans.map((ss) => len(2, Buffer.concat([
      len(1, Buffer.concat([str(1, ss.scope.name), str(2, ss.scope.version)])),
      ...ss.spans.map((s) => len(2, encodeSpan(s))),
    ]))),
  ]))));
}

/** Reads the fields of a protobuf message as { field: [values] } (varints as bigint, LEN as Buffer). */
export function readFields(bytes: Buffer): Map<number, Array<bigint | Buffer>> {
  const fields = new Map<number, Array<bigint | Buffer>>();
  let pos = 0;
  const readVarint = () => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = bytes[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
  };
  while (pos < bytes.length) {
    const key = Number(readVarint());
    const field = key >> 3;
    const wireType = key & 7;
    let value: bigint | Buffer;
    if (wireType === 0) value = readVarint();
    else if (wireType === 2) {
      const n = Number(readVarint());
      value = bytes.subarray(pos, pos + n);
      pos += n;
    } else throw new Error(`unexpected wire type ${wireType}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

// ---- Requests --------------------------------------------------------------------------------

export function postTraces(app: FastifyInstance, body: unknown, options: { protobuf?: boolean; gzip?: boolean; headers?: Record<string, string> } = {}) {
  let payload: Buffer | string = options.protobuf
    ? encodeTraceRequest(body as ReturnType<typeof traceRequest>)
    : typeof body === 'string' ? body : JSON.stringify(body);
  if (options.gzip) payload = gzipSync(payload);
  return app.inject({
    method: 'POST',
    url: '/v1/otlp/v1/traces',
    headers: {
      authorization: `Bearer ${WRITE_KEY}`,
      'content-type': options.protobuf ? 'application/x-protobuf' : 'application/json',
      ...(options.gzip ? { 'content-encoding': 'gzip' } : {}),
      ...options.headers,
    },
    payload,
  });
}
