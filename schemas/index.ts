/**
 * @sluice/schemas — the Sluice event contract, version 1.
 *
 * The JSON Schema files in `v1/` are the source of truth. This module loads them,
 * builds the (single, compile-once) event validator used by ingest, exposes the
 * shared test vectors in `examples/`, and re-exports the TypeScript types generated
 * from the schemas (`types.gen.ts`, regenerate with `npm run gen`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isRfc3339DateTime } from './date-time.ts';
import { maxLengthKeyword, type AjvCodegen } from './max-length.ts';
import type {
  ConsentEvent,
  ErasureRequestEvent,
  FeedbackEvent,
  GenerationEvent,
  OutcomeEvent,
  TrackEvent,
} from './types.gen.ts';

export type * from './types.gen.ts';
export { dateTimeMillis, isRfc3339DateTime } from './date-time.ts';

/** Event type names of contract version 1, in a stable order. */
export const eventTypes = ['generation', 'feedback', 'outcome', 'consent', 'erasure_request', 'track'] as const;

/** One of {@link eventTypes}. */
export type EventType = (typeof eventTypes)[number];

/** Maps each event type name to its generated TypeScript type. */
export interface EventsByType {
  generation: GenerationEvent;
  feedback: FeedbackEvent;
  outcome: OutcomeEvent;
  consent: ConsentEvent;
  erasure_request: ErasureRequestEvent;
  track: TrackEvent;
}

/** Contract version implemented by this package. */
export const schemaVersion = 'v1';

/** Base URI of the v1 schema `$id`s, e.g. `${schemaBaseUri}generation.json`. */
export const schemaBaseUri = 'https://sluice.dev/schemas/v1/';

/** A JSON Schema document as stored in `v1/`. */
export interface JsonSchema {
  readonly $schema: string;
  readonly $id: string;
  readonly title: string;
  readonly [keyword: string]: unknown;
}

/** The loaded v1 schema documents. All of them must be registered together: they `$ref` each other by `$id`. */
export interface SchemaSet {
  /** Fields shared by all events (`envelope.json`). */
  readonly envelope: JsonSchema;
  /** Shared `$defs` such as the feedback/outcome `Target` (`common.json`). */
  readonly common: JsonSchema;
  /** Request body of `POST /v1/batch` (`batch.json`). */
  readonly batch: JsonSchema;
  /** The complete schema of each event type (`<type>.json`). */
  readonly byType: Readonly<Record<EventType, JsonSchema>>;
  /** Every document above, dependencies first: pass this to `ajv.addSchema()` / `fastify.addSchema()`. */
  readonly all: readonly JsonSchema[];
}

const schemaDir = join(import.meta.dirname, 'v1');
const examplesDir = join(import.meta.dirname, 'examples', 'v1');

function byTypeRecord<T>(make: (type: EventType) => T): Record<EventType, T> {
  return {
    generation: make('generation'),
    feedback: make('feedback'),
    outcome: make('outcome'),
    consent: make('consent'),
    erasure_request: make('erasure_request'),
    track: make('track'),
  };
}

/** Absolute paths of the v1 schema files. */
export const schemaFiles: {
  readonly envelope: string;
  readonly common: string;
  readonly batch: string;
  readonly byType: Readonly<Record<EventType, string>>;
} = {
  envelope: join(schemaDir, 'envelope.json'),
  common: join(schemaDir, 'common.json'),
  batch: join(schemaDir, 'batch.json'),
  byType: byTypeRecord((type) => join(schemaDir, `${type}.json`)),
};

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function readSchema(path: string): JsonSchema {
  const schema = readJson(path);
  if (!isRecord(schema) || typeof schema.$id !== 'string' || typeof schema.$schema !== 'string' || typeof schema.title !== 'string') {
    throw new Error(`${path}: not a Sluice schema document ($schema, $id and title are required)`);
  }
  return schema as JsonSchema;
}

/** Reads the v1 schema files (fresh objects on every call, so callers may mutate them). */
export function loadSchemas(): SchemaSet {
  const envelope = readSchema(schemaFiles.envelope);
  const common = readSchema(schemaFiles.common);
  const batch = readSchema(schemaFiles.batch);
  const byType = byTypeRecord((type) => readSchema(schemaFiles.byType[type]));
  return { envelope, common, batch, byType, all: [envelope, common, ...eventTypes.map((t) => byType[t]), batch] };
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

/** Error codes returned by {@link EventValidator}. */
export type ValidationErrorCode = 'SLUICE_ERR_EVENT_INVALID' | 'SLUICE_ERR_EVENT_TYPE_UNKNOWN' | 'SLUICE_ERR_EVENT_NOT_OBJECT';

/** A valid event, narrowed by its `type`. */
export type ValidEventResult = {
  [K in EventType]: { readonly ok: true; readonly type: K; readonly event: EventsByType[K] };
}[EventType];

/** Why an event was rejected. */
export interface InvalidEventResult {
  readonly ok: false;
  readonly code: ValidationErrorCode;
  /** RFC 6901 JSON pointer into the event ('' = the event itself). For a missing or unknown property it points at that property. */
  readonly pointer: string;
  /** The JSON Schema keyword that failed, e.g. `required`, `format`, `enum`, `unevaluatedProperties`. */
  readonly keyword: string;
  /** Human-readable explanation, not including the pointer. */
  readonly message: string;
}

export type ValidationResult = ValidEventResult | InvalidEventResult;

/** Validates one decoded JSON value as a Sluice event. Never throws. */
export type EventValidator = (event: unknown) => ValidationResult;

// Minimal structural view of the Ajv 8 API used here (see loadAjv for why Ajv's own types are not imported).
interface AjvError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string;
  schema?: unknown; // with `verbose: true`: the failing keyword's value
  data?: unknown; // with `verbose: true`: the data at instancePath
}
interface AjvValidateFunction {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}
interface AjvInstance {
  addSchema(schema: object | object[]): AjvInstance;
  getSchema(keyRef: string): AjvValidateFunction | undefined;
  addFormat(name: string, format: { type: 'string'; validate: (value: string) => boolean }): AjvInstance;
  removeKeyword(keyword: string): AjvInstance;
  addKeyword(definition: object): AjvInstance;
}
type AjvConstructor = new (options: Record<string, unknown>) => AjvInstance;
type AjvFormatsPlugin = (ajv: AjvInstance) => AjvInstance;

/**
 * Loads Ajv 8 (2020-12 dialect) and ajv-formats. Ajv is resolved *through* ajv-formats so the two always
 * share one Ajv copy (ajv-formats depends on ajv ^8): the workspace root hoists ajv 6 for eslint, so a
 * bare `ajv` import from this package can resolve to the wrong major version.
 */
function loadAjv(): { Ajv2020: AjvConstructor; addFormats: AjvFormatsPlugin; codegen: AjvCodegen } {
  const requireHere = createRequire(import.meta.url);
  const formatsPath = requireHere.resolve('ajv-formats');
  const addFormats = requireHere(formatsPath) as AjvFormatsPlugin;
  const requireAjv = createRequire(formatsPath);
  const Ajv2020 = requireAjv('ajv/dist/2020.js') as AjvConstructor;
  return { Ajv2020, addFormats, codegen: requireAjv('ajv/dist/compile/codegen/index.js') as AjvCodegen };
}

const ERR_INVALID = 'SLUICE_ERR_EVENT_INVALID';
const ERR_TYPE_UNKNOWN = 'SLUICE_ERR_EVENT_TYPE_UNKNOWN';
const ERR_NOT_OBJECT = 'SLUICE_ERR_EVENT_NOT_OBJECT';

const knownTypesText = eventTypes.join(', ');

/**
 * Builds the event validator: one Ajv instance, all schemas added and every event type compiled once,
 * up front. Dispatches on `event.type` to that type's compiled validator (no oneOf over all types).
 * Reports the first error only (Ajv `allErrors: false`), normalised to a JSON pointer + keyword.
 */
export function createEventValidator(): EventValidator {
  const { Ajv2020, addFormats, codegen } = loadAjv();
  const ajv = new Ajv2020({
    strict: true,
    // The schemas say "required: [user_id]" inside anyOf/if-then branches, next to (not inside) the
    // schema that declares the property; strictRequired rejects that standard pattern.
    strictRequired: false,
    // `type: ["string", "object"]` etc. are intended.
    allowUnionTypes: true,
    allErrors: false,
    // Error objects carry the failing keyword's schema, used to word anyOf/oneOf errors. No cost on valid data.
    verbose: true,
  });
  addFormats(ajv);
  // Same check as ajv-formats' date-time but ~10x faster and exactly RFC 3339 (see date-time.ts).
  ajv.addFormat('date-time', { type: 'string', validate: isRfc3339DateTime });
  // Same results as Ajv's own maxLength, cheaper (max-length.ts).
  ajv.removeKeyword('maxLength');
  ajv.addKeyword(maxLengthKeyword(codegen));
  const schemas = loadSchemas();
  ajv.addSchema([...schemas.all]);

  const validators = new Map<string, { readonly type: EventType; readonly validate: AjvValidateFunction }>();
  for (const type of eventTypes) {
    const validate = ajv.getSchema(schemas.byType[type].$id);
    if (validate === undefined) throw new Error(`schema for event type ${type} did not compile`);
    validators.set(type, { type, validate });
  }

  return function validateEvent(event: unknown): ValidationResult {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      return { ok: false, code: ERR_NOT_OBJECT, pointer: '', keyword: 'type', message: 'an event must be a JSON object' };
    }
    const type = (event as { type?: unknown }).type;
    if (type === undefined) {
      return { ok: false, code: ERR_TYPE_UNKNOWN, pointer: '/type', keyword: 'required', message: "must have required property 'type'" };
    }
    if (typeof type !== 'string') {
      return { ok: false, code: ERR_TYPE_UNKNOWN, pointer: '/type', keyword: 'type', message: 'must be string' };
    }
    const entry = validators.get(type);
    if (entry === undefined) {
      return {
        ok: false,
        code: ERR_TYPE_UNKNOWN,
        pointer: '/type',
        keyword: 'enum',
        message: `unknown event type ${JSON.stringify(type)}; expected one of: ${knownTypesText}`,
      };
    }
    if (entry.validate(event)) {
      return { ok: true, type: entry.type, event } as ValidEventResult;
    }
    return describeError(entry.validate.errors);
  };
}

function describeError(errors: readonly AjvError[] | null | undefined): InvalidEventResult {
  const error = errors && errors.length > 0 ? pickError(errors) : undefined;
  if (error === undefined) {
    return { ok: false, code: ERR_INVALID, pointer: '', keyword: 'unknown', message: 'event is invalid' };
  }
  const { keyword, instancePath, params } = error;
  switch (keyword) {
    case 'required': {
      const name = String(params.missingProperty);
      return invalid(childPointer(instancePath, name), keyword, `must have required property '${name}'`);
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      return invalid(childPointer(instancePath, name), keyword, `must NOT have additional property '${name}'`);
    }
    case 'unevaluatedProperties': {
      const name = String(params.unevaluatedProperty);
      const message =
        instancePath === ''
          ? `unknown top-level field '${name}'; put application-specific fields under 'properties'`
          : `must NOT have unevaluated property '${name}'`;
      return invalid(childPointer(instancePath, name), keyword, message);
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.map((v) => JSON.stringify(v)).join(', ') : '';
      return invalid(instancePath, keyword, `must be one of: ${allowed}`);
    }
    case 'const':
      return invalid(instancePath, keyword, `must be ${JSON.stringify(params.allowedValue)}`);
    case 'anyOf':
    case 'oneOf':
      return invalid(instancePath, keyword, describeAlternatives(error));
    default:
      return invalid(instancePath, keyword, error.message ?? 'is invalid');
  }
}

function invalid(pointer: string, keyword: string, message: string): InvalidEventResult {
  return { ok: false, code: ERR_INVALID, pointer, keyword, message };
}

function childPointer(pointer: string, property: string): string {
  return `${pointer}/${property.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/**
 * Chooses the most useful error. With `allErrors: false` Ajv stops at the first failure, so `errors`
 * is short: usually one error, or — when an anyOf/oneOf failed — the first error of every alternative
 * followed by the anyOf/oneOf error itself. In that case report the alternative the data was evidently
 * meant to match (it got furthest), or the anyOf/oneOf error when no alternative stands out.
 */
function pickError(errors: readonly AjvError[]): AjvError | undefined {
  const last = errors[errors.length - 1];
  if (last === undefined || (last.keyword !== 'anyOf' && last.keyword !== 'oneOf')) return errors[0];
  if (last.params.passingSchemas != null) return last; // oneOf: more than one alternative matched

  const prefix = `${last.schemaPath}/`;
  const firstPerBranch = new Map<number, AjvError>();
  for (const error of errors) {
    if (!error.schemaPath.startsWith(prefix)) continue;
    const branch = Number.parseInt(error.schemaPath.slice(prefix.length), 10);
    if (Number.isInteger(branch) && !firstPerBranch.has(branch)) firstPerBranch.set(branch, error);
  }

  const branchSchemas = Array.isArray(last.schema) ? (last.schema as unknown[]) : [];
  let best = -1;
  let candidates: AjvError[] = [];
  for (const [branch, error] of firstPerBranch) {
    const rank = discriminatorMismatch(branchSchemas[branch], last.data) ? 0 : branchRank(error, last.instancePath);
    if (rank > best) {
      best = rank;
      candidates = [error];
    } else if (rank === best) {
      candidates.push(error);
    }
  }
  const [first] = candidates;
  if (first === undefined || best === 0) return last;
  if (best === 3) {
    // Errors inside the value: the deepest one is the most specific.
    return candidates.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a));
  }
  if (candidates.every((c) => sameError(c, first))) return first;
  return last;
}

/**
 * True when an alternative is an object schema with a `const` property (a discriminator such as a content
 * part's `type`) and the data has that property with a different value: the alternative does not apply,
 * even though Ajv may have reported e.g. a `required` error for it first.
 */
function discriminatorMismatch(branch: unknown, data: unknown): boolean {
  if (!isRecord(branch) || !isRecord(branch.properties) || !isRecord(data)) return false;
  for (const [name, property] of Object.entries(branch.properties)) {
    if (isRecord(property) && 'const' in property && name in data && data[name] !== property.const) return true;
  }
  return false;
}

/**
 * 0: the alternative does not apply (its discriminating `const`/`not` failed);
 * 1: a required property of the alternative is missing;
 * 2: another error on the value itself (e.g. an extra property on a closed object);
 * 3: an error inside the value — the alternative matched its shape.
 */
function branchRank(error: AjvError, combinatorPath: string): number {
  if (error.keyword === 'const' || error.keyword === 'not') return 0;
  if (error.instancePath !== combinatorPath) return 3;
  return error.keyword === 'required' ? 1 : 2;
}

function sameError(a: AjvError, b: AjvError): boolean {
  return a.keyword === b.keyword && a.instancePath === b.instancePath && JSON.stringify(a.params) === JSON.stringify(b.params);
}

function describeAlternatives(error: AjvError): string {
  const quantity = error.keyword === 'oneOf' ? 'exactly one' : 'at least one';
  const branches = Array.isArray(error.schema) ? (error.schema as unknown[]) : [];
  const required = branches.map((b) => (isRecord(b) && Array.isArray(b.required) ? b.required.join(' and ') : undefined));
  if (required.length > 0 && required.every((r) => r !== undefined)) {
    return `must have ${quantity} of: ${required.join(', ')}`;
  }
  const titles = branches.map((b) => (isRecord(b) && typeof b.title === 'string' ? b.title : undefined));
  if (titles.length > 0 && titles.every((t) => t !== undefined)) {
    return `must match ${quantity} of: ${titles.join(', ')}`;
  }
  return error.message ?? `must match ${quantity} alternative`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------
// Examples (shared test vectors)
// ---------------------------------------------------------------------------

/** A valid example: `examples/v1/<type>.<name>.json`. */
export interface ValidExample {
  /** File name without `.json`, e.g. `generation.support-order-lookup`. */
  readonly name: string;
  readonly type: EventType;
  readonly event: unknown;
}

/** An invalid example: `examples/v1/invalid/<name>.json`, with the failure every validator must report. */
export interface InvalidExample {
  readonly name: string;
  readonly description: string;
  readonly event: unknown;
  /** Expected JSON pointer (see {@link InvalidEventResult.pointer}). */
  readonly pointer: string;
  /** Expected JSON Schema keyword. */
  readonly keyword: string;
  /** Expected error code. */
  readonly code: ValidationErrorCode;
}

const errorCodes: readonly string[] = [ERR_INVALID, ERR_TYPE_UNKNOWN, ERR_NOT_OBJECT];

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.json'))
    .map((d) => d.name)
    .sort();
}

/** Reads the shared test vectors in `examples/v1/` (sorted by file name). */
export function loadExamples(): { valid: ValidExample[]; invalid: InvalidExample[] } {
  const valid = jsonFiles(examplesDir).map((file): ValidExample => {
    const name = file.slice(0, -'.json'.length);
    const type = eventTypes.find((t) => name.startsWith(`${t}.`));
    if (type === undefined) throw new Error(`examples/v1/${file}: name must be <event type>.<name>.json`);
    return { name, type, event: readJson(join(examplesDir, file)) };
  });
  const invalidDir = join(examplesDir, 'invalid');
  const invalid = jsonFiles(invalidDir).map((file): InvalidExample => {
    const vector = readJson(join(invalidDir, file));
    if (
      !isRecord(vector) ||
      !('event' in vector) ||
      typeof vector.pointer !== 'string' ||
      typeof vector.keyword !== 'string' ||
      typeof vector.code !== 'string' ||
      !errorCodes.includes(vector.code)
    ) {
      throw new Error(`examples/v1/invalid/${file}: expected { description, event, pointer, keyword, code }`);
    }
    return {
      name: file.slice(0, -'.json'.length),
      description: typeof vector.description === 'string' ? vector.description : '',
      event: vector.event,
      pointer: vector.pointer,
      keyword: vector.keyword,
      code: vector.code as ValidationErrorCode,
    };
  });
  return { valid, invalid };
}

