import { SluiceError, errorBody, type ErrorCode } from '@sluice/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Fastify's own error codes, translated into the catalogue so clients see one vocabulary. */
const fastifyCodes: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'SLUICE_ERR_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'SLUICE_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'SLUICE_ERR_MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'SLUICE_ERR_MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'SLUICE_ERR_MALFORMED_JSON',
};

/** Seconds a client should wait before retrying a 429 / 503. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

export function toSluiceError(error: FastifyError | Error): SluiceError {
  if (error instanceof SluiceError) return error;
  const code = 'code' in error && typeof error.code === 'string' ? fastifyCodes[error.code] : undefined;
  if (code) return new SluiceError(code);
  if ('validation' in error && error.validation) {
    return new SluiceError('SLUICE_ERR_QUERY_INVALID', error.message);
  }
  return new SluiceError('SLUICE_ERR_INTERNAL', undefined, { cause: error });
}

/**
 * Every error leaves as `{ error: { code, message } }` with the catalogue's status. Server-side
 * failures (5xx) are logged with their cause and answered with the catalogue's message only, so
 * internals never leak to clients.
 */
export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const sluiceError = toSluiceError(error);
    if (sluiceError.status >= 500) {
      request.log.error({ err: error, code: sluiceError.code }, 'request failed');
    }
    if (sluiceError.status === 429 || sluiceError.status === 503) {
      const retryAfter = sluiceError.details?.retry_after_seconds;
      void reply.header('retry-after', String(typeof retryAfter === 'number' ? retryAfter : DEFAULT_RETRY_AFTER_SECONDS));
    }
    const body = sluiceError.status >= 500
      ? { error: { code: sluiceError.code, message: new SluiceError(sluiceError.code).message } }
      : errorBody(sluiceError);
    return reply.status(sluiceError.status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    return reply.status(404).send(errorBody(new SluiceError('SLUICE_ERR_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)));
  });
}, { name: 'sluice-error-handler' });
