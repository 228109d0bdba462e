import { SluiceError } from '@sluice/core';
import {
  MAX_VALUE_DEPTH, STATUS_CODE_ERROR, doubleValue, intValue,
  type AttributeValue, type OtlpSpan, type OtlpSpanEvent, type OtlpSpanRecord,
} from './model.ts';

/*
 * Decodes an OTLP/JSON ExportTraceServiceRequest (the protobuf JSON mapping with OTLP's rules:
 * trace and span ids are hex, not base64; int64 may be a number or a decimal string; enums are
 * integers). Fields are read by their lowerCamelCase name or their proto name, as protobuf JSON
 * parsers do; unknown fields are ignored. A field of the wrong JSON type is SLUICE_ERR_OTLP_INVALID
 * with the path of the offending value.
 */

type JsonObject = Record<string, unknown>;

const invalid = (path: string, expected: string) => new SluiceError('SLUICE_ERR_OTLP_INVALID', `${path} must be ${expected}`);

export function decodeTraceRequestJson(body: unknown): OtlpSpanRecord[] {
  const request = object(body, '(body)');
  if (!request) throw invalid('(body)', 'an ExportTraceServiceRequest object');
  const records: OtlpSpanRecord[] = [];
  list(field(request, 'resourceSpans', 'resource_spans'), 'resourceSpans').forEach((rsValue, i) => {
    const path = `resourceSpans[${i}]`;
    const rs = requiredObject(rsValue, path);
    const resourceObject = object(field(rs, 'resource'), `${path}.resource`);
    const resource = keyValues(resourceObject && field(resourceObject, 'attributes'), `${path}.resource.attributes`, 0);
    list(field(rs, 'scopeSpans', 'scope_spans'), `${path}.scopeSpans`).forEach((ssValue, j) => {
      const ssPath = `${path}.scopeSpans[${j}]`;
      const ss = requiredObject(ssValue, ssPath);
      const scopeObject = object(field(ss, 'scope'), `${ssPath}.scope`);
      const scope = {
        name: string(scopeObject && field(scopeObject, 'name'), `${ssPath}.scope.name`),
        version: string(scopeObject && field(scopeObject, 'version'), `${ssPath}.scope.version`),
      };
      list(field(ss, 'spans'), `${ssPath}.spans`).forEach((spanValue, k) => {
        records.push({ resource, scope, span: readSpan(spanValue, `${ssPath}.spans[${k}]`) });
      });
    });
  });
  return records;
}

function readSpan(value: unknown, path: string): OtlpSpan {
  const span = requiredObject(value, path);
  const status = object(field(span, 'status'), `${path}.status`);
  return {
    traceId: id(field(span, 'traceId', 'trace_id'), `${path}.traceId`),
    spanId: id(field(span, 'spanId', 'span_id'), `${path}.spanId`),
    parentSpanId: id(field(span, 'parentSpanId', 'parent_span_id'), `${path}.parentSpanId`),
    name: string(field(span, 'name'), `${path}.name`),
    startTimeUnixNano: uint64(field(span, 'startTimeUnixNano', 'start_time_unix_nano'), `${path}.startTimeUnixNano`),
    endTimeUnixNano: uint64(field(span, 'endTimeUnixNano', 'end_time_unix_nano'), `${path}.endTimeUnixNano`),
    attributes: keyValues(field(span, 'attributes'), `${path}.attributes`, 0),
    events: list(field(span, 'events'), `${path}.events`).map((e, i) => readEvent(e, `${path}.events[${i}]`)),
    statusCode: status ? statusCode(field(status, 'code'), `${path}.status.code`) : 0,
  };
}

function readEvent(value: unknown, path: string): OtlpSpanEvent {
  const event = requiredObject(value, path);
  return {
    name: string(field(event, 'name'), `${path}.name`),
    timeUnixNano: uint64(field(event, 'timeUnixNano', 'time_unix_nano'), `${path}.timeUnixNano`),
    attributes: keyValues(field(event, 'attributes'), `${path}.attributes`, 0),
  };
}

function keyValues(value: unknown, path: string, depth: number): Map<string, AttributeValue> {
  const out = new Map<string, AttributeValue>();
  list(value, path).forEach((kvValue, i) => {
    const kv = requiredObject(kvValue, `${path}[${i}]`);
    const key = field(kv, 'key');
    if (typeof key !== 'string') throw invalid(`${path}[${i}].key`, 'a string');
    out.set(key, anyValue(field(kv, 'value'), `${path}[${i}].value`, depth + 1));
  });
  return out;
}

function anyValue(value: unknown, path: string, depth: number): AttributeValue {
  if (depth > MAX_VALUE_DEPTH) throw new SluiceError('SLUICE_ERR_OTLP_INVALID', `${path}: attribute values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  const any = object(value, path);
  if (!any) return null;
  const s = field(any, 'stringValue', 'string_value');
  if (s !== undefined && s !== null) return string(s, `${path}.stringValue`);
  const b = field(any, 'boolValue', 'bool_value');
  if (b !== undefined && b !== null) {
    if (typeof b !== 'boolean') throw invalid(`${path}.boolValue`, 'a boolean');
    return b;
  }
  const i = field(any, 'intValue', 'int_value');
  if (i !== undefined && i !== null) return intValue(int64(i, `${path}.intValue`));
  const d = field(any, 'doubleValue', 'double_value');
  if (d !== undefined && d !== null) return double(d, `${path}.doubleValue`);
  const array = field(any, 'arrayValue', 'array_value');
  if (array !== undefined && array !== null) {
    const arrayObject = requiredObject(array, `${path}.arrayValue`);
    return list(field(arrayObject, 'values'), `${path}.arrayValue.values`).map((v, k) => anyValue(v, `${path}.arrayValue.values[${k}]`, depth + 1));
  }
  const kvlist = field(any, 'kvlistValue', 'kvlist_value');
  if (kvlist !== undefined && kvlist !== null) {
    const kvlistObject = requiredObject(kvlist, `${path}.kvlistValue`);
    return Object.fromEntries(keyValues(field(kvlistObject, 'values'), `${path}.kvlistValue.values`, depth));
  }
  const bytes = field(any, 'bytesValue', 'bytes_value');
  if (bytes !== undefined && bytes !== null) return string(bytes, `${path}.bytesValue`);
  return null;
}

function field(obj: JsonObject, jsonName: string, protoName?: string): unknown {
  const value = obj[jsonName];
  return value === undefined && protoName ? obj[protoName] : value;
}

function object(value: unknown, path: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(path, 'an object');
  return value as JsonObject;
}

function requiredObject(value: unknown, path: string): JsonObject {
  const obj = object(value, path);
  if (!obj) throw invalid(path, 'an object');
  return obj;
}

function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(path, 'an array');
  return value;
}

function string(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw invalid(path, 'a string');
  return value;
}

function uint64(value: unknown, path: string): bigint {
  if (value === undefined || value === null) return 0n;
  // Nanosecond times beyond 2^53 written as JSON numbers arrive already rounded; close enough.
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 64) return BigInt(value);
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt.asUintN(64, BigInt(value));
  throw invalid(path, 'an unsigned 64-bit integer (number or decimal string)');
}

function int64(value: unknown, path: string): bigint {
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 63) return BigInt(value);
  if (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) return BigInt.asIntN(64, BigInt(value));
  throw invalid(path, 'a 64-bit integer (number or decimal string)');
}

function double(value: unknown, path: string): number | string {
  if (typeof value === 'number') return value;
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return doubleValue(Number(value));
  throw invalid(path, 'a number');
}

const statusCodeNames: Readonly<Record<string, number>> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR };

function statusCode(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && Object.hasOwn(statusCodeNames, value)) return statusCodeNames[value]!;
  throw invalid(path, 'a StatusCode (integer)');
}

/**
 * OTLP/JSON ids are hex. Some encoders use the generic protobuf JSON mapping, which writes bytes as
 * base64; an id that is not hex but decodes from base64 to 16 or 8 bytes is read that way.
 */
function id(value: unknown, path: string): string {
  const text = string(value, path);
  if (/^[0-9a-fA-F]*$/.test(text)) return text.toLowerCase();
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.byteLength === 16 || bytes.byteLength === 8) return bytes.toString('hex');
  }
  return text;
}
