import { concat, lengthDelimitedField, varintField } from './protobuf-wire.ts';

/**
 * OTLP responses, in the encoding of the request:
 *   ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
 *   ExportTracePartialSuccess  { int64 rejected_spans = 1; string error_message = 2; }
 *   google.rpc.Status          { int32 code = 1; string message = 2; }   (errors, protobuf only)
 * A full success leaves partial_success unset, as the OTLP specification asks.
 */
export interface ExportOutcome {
  rejectedSpans: number;
  errorMessage: string;
}

export function exportResponseJson(outcome: ExportOutcome): Record<string, unknown> {
  if (outcome.rejectedSpans === 0 && outcome.errorMessage === '') return {};
  return { partialSuccess: { rejectedSpans: outcome.rejectedSpans, errorMessage: outcome.errorMessage } };
}

export function exportResponseProtobuf(outcome: ExportOutcome): Uint8Array {
  if (outcome.rejectedSpans === 0 && outcome.errorMessage === '') return new Uint8Array(0);
  const partialSuccess = concat([
    ...(outcome.rejectedSpans > 0 ? [varintField(1, outcome.rejectedSpans)] : []),
    ...(outcome.errorMessage !== '' ? [lengthDelimitedField(2, outcome.errorMessage)] : []),
  ]);
  return lengthDelimitedField(1, partialSuccess);
}

export function rpcStatusProtobuf(code: number, message: string): Uint8Array {
  return concat([...(code > 0 ? [varintField(1, code)] : []), ...(message !== '' ? [lengthDelimitedField(2, message)] : [])]);
}

/** The gRPC status code closest to an HTTP status (the OTLP Status message carries gRPC codes). */
export function grpcCodeForHttpStatus(status: number): number {
  switch (status) {
    case 400: case 413: case 415: return 3; // INVALID_ARGUMENT
    case 401: return 16; // UNAUTHENTICATED
    case 403: return 7; // PERMISSION_DENIED
    case 404: return 5; // NOT_FOUND
    case 429: return 8; // RESOURCE_EXHAUSTED
    case 503: return 14; // UNAVAILABLE
    default: return status >= 500 ? 13 : 2; // INTERNAL : UNKNOWN
  }
}
