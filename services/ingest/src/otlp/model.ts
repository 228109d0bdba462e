/**
 * OTLP trace data as the mappers read it, decoded from either OTLP/JSON or OTLP/protobuf into this
 * one shape. Ids are lower-case hex; times stay nanosecond bigints until a mapper needs them.
 * Only the fields Sluice uses are kept (links, trace state, dropped counts are not).
 */

/** An attribute value: OTLP AnyValue as JSON (int64 beyond 2^53 as a decimal string, bytes as base64). */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

export type Attributes = ReadonlyMap<string, AttributeValue>;

export interface OtlpSpanEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: Attributes;
}

export interface OtlpSpan {
  /** Lower-case hex (32 characters when valid); '' when absent. */
  traceId: string;
  /** Lower-case hex (16 characters when valid); '' when absent. */
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  events: OtlpSpanEvent[];
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  statusCode: number;
}

/** One span with the resource and instrumentation scope it was reported under. */
export interface OtlpSpanRecord {
  resource: Attributes;
  scope: { name: string; version: string };
  span: OtlpSpan;
}

export const STATUS_CODE_ERROR = 2;

/** AnyValue nesting beyond this is refused: real attributes are a few levels deep, a hostile body is not. */
export const MAX_VALUE_DEPTH = 32;

/** int64 as a JSON number when exact, otherwise as its decimal string. */
export function intValue(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** NaN and ±Infinity have no JSON form; they are kept as the strings OTLP/JSON uses for them. */
export function doubleValue(value: number): number | string {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}
