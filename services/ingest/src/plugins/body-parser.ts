import { SluiceError, type ErrorCode } from '@sluice/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { parseJsonBody } from '../parse-json-body.ts';

const gunzipAsync = promisify(gunzip);

declare module 'fastify' {
  interface FastifyRequest {
    /** The JSON body's bytes (decompressed), kept so the event log can store them as received. */
    jsonBytes?: Buffer | undefined;
  }
  interface FastifyContextConfig {
    /** The route gets its JSON body as decompressed bytes (a Buffer), unparsed. */
    rawJson?: boolean;
  }
}

/**
 * JSON bodies, plain or gzip (`Content-Encoding: gzip`). The decompressed size is capped with
 * zlib's maxOutputLength, so a gzip bomb stops at the cap instead of filling memory. text/plain is
 * parsed the same way because navigator.sendBeacon cannot set a JSON content type without a CORS
 * preflight; routes decide which media types they take. Protobuf bodies (OTLP) get the same gzip
 * handling and cap and reach the route as a Buffer: only the route knows the message type.
 * JSON bodies also stay on the request as bytes (`request.jsonBytes`), or reach routes that ask
 * for it (`config: { rawJson: true }`) only as bytes.
 */
export const bodyParserPlugin = fp(async (app: FastifyInstance, options: { maxBodyBytes: number }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer', bodyLimit: options.maxBodyBytes },
    async (request: FastifyRequest, body: Buffer) => {
      const json = await decode(request, body, options.maxBodyBytes, 'SLUICE_ERR_MALFORMED_JSON');
      // Routes that parse on another thread (config.rawJson) take the bytes as they are.
      if (request.routeOptions.config.rawJson === true) return json;
      const parsed = parseJsonBody(json);
      request.jsonBytes = json;
      return parsed;
    });
  app.addContentTypeParser('application/x-protobuf', { parseAs: 'buffer', bodyLimit: options.maxBodyBytes },
    async (request: FastifyRequest, body: Buffer) => decode(request, body, options.maxBodyBytes, 'SLUICE_ERR_MALFORMED_PROTOBUF'));
}, { name: 'sluice-body-parser' });

async function decode(request: FastifyRequest, body: Buffer, maxBodyBytes: number, malformed: ErrorCode): Promise<Buffer> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity') return body;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new SluiceError('SLUICE_ERR_UNSUPPORTED_ENCODING', `unsupported Content-Encoding "${encoding}"; use gzip or identity`);
  }
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBodyBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new SluiceError('SLUICE_ERR_PAYLOAD_TOO_LARGE', `decompressed body exceeds ${maxBodyBytes} bytes`);
    }
    throw new SluiceError(malformed, `body is not valid gzip: ${(error as Error).message}`);
  }
}
