/**
 * The error catalogue: every error Sluice reports to a client or an operator has a stable
 * `SLUICE_ERR_*` code, an HTTP status and a default message. Codes are public API: never reuse
 * or rename one; add new ones. Each code is documented in docs/errors.md (a test checks it).
 */
export const errorCatalogue = {
  SLUICE_ERR_UNAUTHORIZED: { status: 401, message: 'Missing or unknown write key' },
  SLUICE_ERR_ADMIN_UNAUTHORIZED: { status: 401, message: 'Missing or wrong admin token' },
  SLUICE_ERR_MALFORMED_JSON: { status: 400, message: 'The request body is not valid JSON' },
  SLUICE_ERR_BATCH_INVALID: { status: 400, message: 'The request body is not a batch: expected { "events": [ … ] }' },
  SLUICE_ERR_QUERY_INVALID: { status: 400, message: 'Invalid query parameters' },
  SLUICE_ERR_NOT_FOUND: { status: 404, message: 'No such route or resource' },
  SLUICE_ERR_BATCH_TOO_MANY_EVENTS: { status: 413, message: 'Too many events in one request' },
  SLUICE_ERR_PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  SLUICE_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported Content-Type' },
  SLUICE_ERR_UNSUPPORTED_ENCODING: { status: 415, message: 'Unsupported Content-Encoding' },
  SLUICE_ERR_RATE_LIMITED: { status: 429, message: 'Rate limit exceeded for this write key' },
  SLUICE_ERR_STORAGE_UNAVAILABLE: { status: 503, message: 'Storage is unavailable; nothing was stored, retry later' },
  SLUICE_ERR_QUEUE_FULL: { status: 503, message: 'The write queue is full; nothing was stored, retry later' },
  SLUICE_ERR_SHUTTING_DOWN: { status: 503, message: 'The server is shutting down; nothing was stored, retry later' },
  SLUICE_ERR_INTERNAL: { status: 500, message: 'Internal error' },
  // Per-event rejections: reported inside a 200 response's `rejected` list, never as a request status.
  SLUICE_ERR_EVENT_INVALID: { status: 400, message: 'The event does not match its schema' },
  SLUICE_ERR_EVENT_TYPE_UNKNOWN: { status: 400, message: 'The event type is missing or unknown' },
  SLUICE_ERR_EVENT_NOT_OBJECT: { status: 400, message: 'The event is not a JSON object' },
  // Operator-facing errors (startup, CLI).
  SLUICE_ERR_CONFIG_INVALID: { status: 500, message: 'The configuration is invalid' },
  SLUICE_ERR_INPUT_INVALID: { status: 400, message: 'An input line is not valid' },
  SLUICE_ERR_STAGING_LOG_CORRUPT: { status: 500, message: 'The embedded staging log is damaged; refusing to start rather than drop acknowledged events' },
  // Curation.
  SLUICE_ERR_RULESET_INVALID: { status: 422, message: 'The ruleset is invalid' },
  SLUICE_ERR_RULESET_NOT_FOUND: { status: 404, message: 'No such ruleset' },
  SLUICE_ERR_CURATION_RUN_NOT_FOUND: { status: 404, message: 'No such curation run' },
  // Blob storage (datasets and snapshots).
  SLUICE_ERR_BLOB_NOT_FOUND: { status: 404, message: 'No such object' },
  SLUICE_ERR_BLOB_INTEGRITY: { status: 502, message: 'The stored object does not match what was written (size or hash)' },
  SLUICE_ERR_BLOB_STORE_UNAVAILABLE: { status: 503, message: 'The object store is unavailable; retry later' },
  // Export: dataset snapshots and trainer access.
  SLUICE_ERR_CURATION_RUN_INCOMPLETE: { status: 409, message: 'The curation run is not complete; only complete runs can be exported' },
  SLUICE_ERR_EXPORT_FAILED: { status: 500, message: 'The export failed; no snapshot was published' },
  SLUICE_ERR_READ_UNAUTHORIZED: { status: 401, message: 'Missing or unknown read token' },
  SLUICE_ERR_FORBIDDEN: { status: 403, message: 'The read token does not grant access to this dataset' },
  SLUICE_ERR_DATASET_NOT_FOUND: { status: 404, message: 'No such dataset' },
  SLUICE_ERR_SNAPSHOT_NOT_FOUND: { status: 404, message: 'No such snapshot, or it is not ready' },
  SLUICE_ERR_RANGE_NOT_SATISFIABLE: { status: 416, message: 'The requested byte range is outside the file' },
  SLUICE_ERR_DOWNLOAD_INTEGRITY: { status: 502, message: 'A downloaded file does not match the snapshot manifest (size or SHA-256)' },
  // OpenTelemetry ingest (OTLP/HTTP traces).
  SLUICE_ERR_MALFORMED_PROTOBUF: { status: 400, message: 'The request body is not a valid protobuf message' },
  SLUICE_ERR_OTLP_INVALID: { status: 400, message: 'The request body is not an OTLP ExportTraceServiceRequest' },
  // Steward console.
  SLUICE_ERR_FEATURE_UNAVAILABLE: { status: 501, message: 'This server is not set up for this feature (no curation store, or no blob store)' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** Codes whose condition is transient: the same request may succeed later. */
const retryableCodes: ReadonlySet<ErrorCode> = new Set([
  'SLUICE_ERR_RATE_LIMITED',
  'SLUICE_ERR_STORAGE_UNAVAILABLE',
  'SLUICE_ERR_QUEUE_FULL',
  'SLUICE_ERR_SHUTTING_DOWN',
  'SLUICE_ERR_BLOB_STORE_UNAVAILABLE',
]);

export class SluiceError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message ?? errorCatalogue[code].message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SluiceError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.retryable = retryableCodes.has(code);
    this.details = options?.details;
  }
}

export function isSluiceError(error: unknown): error is SluiceError {
  return error instanceof SluiceError;
}

/** The JSON body every error response carries. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string } & Record<string, unknown>;
}

export function errorBody(error: SluiceError): ErrorBody {
  return { error: { code: error.code, message: error.message, ...error.details } };
}
