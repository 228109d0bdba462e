import { SluiceError } from '@sluice/core';
import { findJsonErrorPosition } from './json-error-position.ts';

/** A JSON body's bytes (UTF-8) as a value; SLUICE_ERR_MALFORMED_JSON with the error's position otherwise. */
export function parseJsonBody(body: Uint8Array): unknown {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = findJsonErrorPosition(text);
    throw new SluiceError('SLUICE_ERR_MALFORMED_JSON', `malformed JSON: ${(error as Error).message}`,
      position < 0 ? undefined : { details: { position } });
  }
}
