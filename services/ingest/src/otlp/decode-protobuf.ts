import { MAX_VALUE_DEPTH, doubleValue, intValue, type AttributeValue, type OtlpSpan, type OtlpSpanEvent, type OtlpSpanRecord } from './model.ts';
import { ProtoReader, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, expectWireType, malformed } from './protobuf-wire.ts';

/*
 * Decodes an OTLP/protobuf ExportTraceServiceRequest (opentelemetry/proto/collector/trace/v1).
 * Field numbers, from the .proto files:
 *   ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
 *   ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
 *   Resource      { repeated KeyValue attributes = 1; }
 *   ScopeSpans    { InstrumentationScope scope = 1; repeated Span spans = 2; }
 *   InstrumentationScope { string name = 1; string version = 2; }
 *   Span  { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5;
 *           fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
 *           repeated KeyValue attributes = 9; repeated Event events = 11; Status status = 15; }
 *   Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; }
 *   Status { string message = 2; StatusCode code = 3; }
 *   KeyValue { string key = 1; AnyValue value = 2; }
 *   AnyValue { oneof { string string_value = 1; bool bool_value = 2; int64 int_value = 3;
 *              double double_value = 4; ArrayValue array_value = 5; KeyValueList kvlist_value = 6;
 *              bytes bytes_value = 7; } }
 *   ArrayValue { repeated AnyValue values = 1; }   KeyValueList { repeated KeyValue values = 1; }
 * Unknown fields are skipped, as protobuf requires.
 */

export function decodeTraceRequestProtobuf(body: Uint8Array): OtlpSpanRecord[] {
  const records: OtlpSpanRecord[] = [];
  const reader = new ProtoReader(body);
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1) {
      expectWireType(wireType, WIRE_LEN, 'ExportTraceServiceRequest.resource_spans');
      readResourceSpans(reader.bytes(), records);
    } else reader.skip(wireType);
  }
  return records;
}

function readResourceSpans(bytes: Uint8Array, records: OtlpSpanRecord[]): void {
  const reader = new ProtoReader(bytes);
  let resource = new Map<string, AttributeValue>();
  const scopes: Uint8Array[] = [];
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1) {
      expectWireType(wireType, WIRE_LEN, 'ResourceSpans.resource');
      resource = readKeyValues(reader.bytes(), 1, 0);
    } else if (field === 2) {
      expectWireType(wireType, WIRE_LEN, 'ResourceSpans.scope_spans');
      scopes.push(reader.bytes());
    } else reader.skip(wireType);
  }
  // The resource may come after its scopes on the wire; it applies to all of them.
  for (const scope of scopes) readScopeSpans(scope, resource, records);
}

function readScopeSpans(bytes: Uint8Array, resource: Map<string, AttributeValue>, records: OtlpSpanRecord[]): void {
  const reader = new ProtoReader(bytes);
  const scope = { name: '', version: '' };
  const spans: OtlpSpan[] = [];
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1) {
      expectWireType(wireType, WIRE_LEN, 'ScopeSpans.scope');
      Object.assign(scope, readScope(reader.bytes()));
    } else if (field === 2) {
      expectWireType(wireType, WIRE_LEN, 'ScopeSpans.spans');
      spans.push(readSpan(reader.bytes()));
    } else reader.skip(wireType);
  }
  for (const span of spans) records.push({ resource, scope, span });
}

function readScope(bytes: Uint8Array): { name: string; version: string } {
  const reader = new ProtoReader(bytes);
  const scope = { name: '', version: '' };
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1 || field === 2) {
      expectWireType(wireType, WIRE_LEN, field === 1 ? 'InstrumentationScope.name' : 'InstrumentationScope.version');
      scope[field === 1 ? 'name' : 'version'] = reader.string();
    } else reader.skip(wireType);
  }
  return scope;
}

function readSpan(bytes: Uint8Array): OtlpSpan {
  const reader = new ProtoReader(bytes);
  const attributes = new Map<string, AttributeValue>();
  const span: OtlpSpan = {
    traceId: '', spanId: '', parentSpanId: '', name: '', startTimeUnixNano: 0n, endTimeUnixNano: 0n,
    attributes, events: [], statusCode: 0,
  };
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    switch (field) {
      case 1: expectWireType(wireType, WIRE_LEN, 'Span.trace_id'); span.traceId = hex(reader.bytes()); break;
      case 2: expectWireType(wireType, WIRE_LEN, 'Span.span_id'); span.spanId = hex(reader.bytes()); break;
      case 4: expectWireType(wireType, WIRE_LEN, 'Span.parent_span_id'); span.parentSpanId = hex(reader.bytes()); break;
      case 5: expectWireType(wireType, WIRE_LEN, 'Span.name'); span.name = reader.string(); break;
      case 7: expectWireType(wireType, WIRE_FIXED64, 'Span.start_time_unix_nano'); span.startTimeUnixNano = reader.fixed64(); break;
      case 8: expectWireType(wireType, WIRE_FIXED64, 'Span.end_time_unix_nano'); span.endTimeUnixNano = reader.fixed64(); break;
      case 9: expectWireType(wireType, WIRE_LEN, 'Span.attributes'); readKeyValue(reader.bytes(), attributes, 0); break;
      case 11: expectWireType(wireType, WIRE_LEN, 'Span.events'); span.events.push(readEvent(reader.bytes())); break;
      case 15: expectWireType(wireType, WIRE_LEN, 'Span.status'); span.statusCode = readStatusCode(reader.bytes()); break;
      default: reader.skip(wireType);
    }
  }
  return span;
}

function readEvent(bytes: Uint8Array): OtlpSpanEvent {
  const reader = new ProtoReader(bytes);
  const event = { name: '', timeUnixNano: 0n, attributes: new Map<string, AttributeValue>() };
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1) {
      expectWireType(wireType, WIRE_FIXED64, 'Event.time_unix_nano');
      event.timeUnixNano = reader.fixed64();
    } else if (field === 2) {
      expectWireType(wireType, WIRE_LEN, 'Event.name');
      event.name = reader.string();
    } else if (field === 3) {
      expectWireType(wireType, WIRE_LEN, 'Event.attributes');
      readKeyValue(reader.bytes(), event.attributes, 0);
    } else reader.skip(wireType);
  }
  return event;
}

function readStatusCode(bytes: Uint8Array): number {
  const reader = new ProtoReader(bytes);
  let code = 0;
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 3) {
      expectWireType(wireType, WIRE_VARINT, 'Status.code');
      code = reader.uint();
    } else reader.skip(wireType);
  }
  return code;
}

/** Reads every `repeated KeyValue` field numbered `field` of a message into a map. */
function readKeyValues(bytes: Uint8Array, field: number, depth: number): Map<string, AttributeValue> {
  const out = new Map<string, AttributeValue>();
  const reader = new ProtoReader(bytes);
  while (!reader.done) {
    const tag = reader.tag();
    if (tag.field === field) {
      expectWireType(tag.wireType, WIRE_LEN, 'KeyValue');
      readKeyValue(reader.bytes(), out, depth);
    } else reader.skip(tag.wireType);
  }
  return out;
}

function readKeyValue(bytes: Uint8Array, into: Map<string, AttributeValue>, depth: number): void {
  const reader = new ProtoReader(bytes);
  let key = '';
  let value: AttributeValue = null;
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1) {
      expectWireType(wireType, WIRE_LEN, 'KeyValue.key');
      key = reader.string();
    } else if (field === 2) {
      expectWireType(wireType, WIRE_LEN, 'KeyValue.value');
      value = readAnyValue(reader.bytes(), depth + 1);
    } else reader.skip(wireType);
  }
  into.set(key, value);
}

function readAnyValue(bytes: Uint8Array, depth: number): AttributeValue {
  if (depth > MAX_VALUE_DEPTH) throw malformed(`attribute values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  const reader = new ProtoReader(bytes);
  let value: AttributeValue = null;
  // A oneof: when several members arrive, the last one wins.
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    switch (field) {
      case 1: expectWireType(wireType, WIRE_LEN, 'AnyValue.string_value'); value = reader.string(); break;
      case 2: expectWireType(wireType, WIRE_VARINT, 'AnyValue.bool_value'); value = reader.uint() !== 0; break;
      case 3: expectWireType(wireType, WIRE_VARINT, 'AnyValue.int_value'); value = intValue(reader.int64()); break;
      case 4: expectWireType(wireType, WIRE_FIXED64, 'AnyValue.double_value'); value = doubleValue(reader.double()); break;
      case 5: expectWireType(wireType, WIRE_LEN, 'AnyValue.array_value'); value = readArrayValue(reader.bytes(), depth); break;
      case 6: expectWireType(wireType, WIRE_LEN, 'AnyValue.kvlist_value'); value = Object.fromEntries(readKeyValues(reader.bytes(), 1, depth)); break;
      case 7: expectWireType(wireType, WIRE_LEN, 'AnyValue.bytes_value'); value = Buffer.from(reader.bytes()).toString('base64'); break;
      default: reader.skip(wireType);
    }
  }
  return value;
}

function readArrayValue(bytes: Uint8Array, depth: number): AttributeValue[] {
  const reader = new ProtoReader(bytes);
  const values: AttributeValue[] = [];
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1) {
      expectWireType(wireType, WIRE_LEN, 'ArrayValue.values');
      values.push(readAnyValue(reader.bytes(), depth + 1));
    } else reader.skip(wireType);
  }
  return values;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
