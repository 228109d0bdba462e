/**
 * One description of a config's columns, from which the three views that must agree are derived:
 * the DuckDB type of the column (what the Parquet writer stores and `from_json` parses into),
 * the Hugging Face `datasets` features recorded in the manifest, and a readable type string.
 * Declaring a column once keeps the Parquet schema, the manifest and the Python tests in step.
 */
export type ColumnType =
  | { kind: 'string' }
  /** Any JSON value, stored as UTF-8 text with Parquet's JSON logical type (see ADR 0004). */
  | { kind: 'json' }
  | { kind: 'bool' }
  | { kind: 'float64' }
  | { kind: 'int64' }
  | { kind: 'list'; of: ColumnType }
  | { kind: 'struct'; fields: readonly (readonly [string, ColumnType])[] };

export type Columns = readonly (readonly [string, ColumnType])[];

export const string: ColumnType = { kind: 'string' };
export const json: ColumnType = { kind: 'json' };
export const bool: ColumnType = { kind: 'bool' };
export const float64: ColumnType = { kind: 'float64' };
export const int64: ColumnType = { kind: 'int64' };
export const list = (of: ColumnType): ColumnType => ({ kind: 'list', of });
export const struct = (fields: readonly (readonly [string, ColumnType])[]): ColumnType => ({ kind: 'struct', fields });

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The DuckDB type, e.g. `STRUCT("role" VARCHAR, "content" VARCHAR)[]`. */
export function duckDbType(type: ColumnType): string {
  switch (type.kind) {
    case 'string': return 'VARCHAR';
    case 'json': return 'JSON';
    case 'bool': return 'BOOLEAN';
    case 'float64': return 'DOUBLE';
    case 'int64': return 'BIGINT';
    case 'list': return `${duckDbType(type.of)}[]`;
    case 'struct': return `STRUCT(${type.fields.map(([name, t]) => `${quote(name)} ${duckDbType(t)}`).join(', ')})`;
  }
}

/**
 * The structure argument of DuckDB's `from_json` that parses a JSON value straight into this type:
 * `{"role": "VARCHAR", "tool_calls": [{…}]}`. Keys absent from a document come out as NULL.
 */
export function jsonStructure(type: ColumnType): unknown {
  switch (type.kind) {
    case 'list': return [jsonStructure(type.of)];
    case 'struct': return Object.fromEntries(type.fields.map(([name, t]) => [name, jsonStructure(t)]));
    default: return duckDbType(type);
  }
}

export type HfFeature = Record<string, unknown>;

/** The serialized form of `datasets.Features` (what `Features.to_dict()` returns), per column. */
export function hfFeature(type: ColumnType): HfFeature {
  switch (type.kind) {
    case 'string': return { dtype: 'string', _type: 'Value' };
    case 'json': return { _type: 'Json' };
    case 'bool': return { dtype: 'bool', _type: 'Value' };
    case 'float64': return { dtype: 'float64', _type: 'Value' };
    case 'int64': return { dtype: 'int64', _type: 'Value' };
    case 'list': return { feature: hfFeature(type.of), _type: 'List' };
    case 'struct': return Object.fromEntries(type.fields.map(([name, t]) => [name, hfFeature(t)]));
  }
}

export function hfFeatures(columns: Columns): Record<string, HfFeature> {
  return Object.fromEntries(columns.map(([name, t]) => [name, hfFeature(t)]));
}

/** A compact, Arrow-like description for people: `list<struct<role: string, content: string>>`. */
export function describeType(type: ColumnType): string {
  switch (type.kind) {
    case 'list': return `list<${describeType(type.of)}>`;
    case 'struct': return `struct<${type.fields.map(([name, t]) => `${name}: ${describeType(t)}`).join(', ')}>`;
    default: return type.kind;
  }
}
