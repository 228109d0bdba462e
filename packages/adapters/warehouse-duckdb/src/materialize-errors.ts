import { SluiceError } from '@sluice/core';

/** The INSERT produced another number of events than the meta lists: DuckDB read a body differently from JSON.parse. */
export class MaterializeMismatch extends Error {}

/**
 * The data, not the engine, made a materialising transaction fail: a count mismatch, or DuckDB's
 * "Invalid Input Error" / "Conversion Error" (malformed JSON, bad UTF-8). Such records take the JS path.
 */
export function isDataRefused(error: unknown): boolean {
  if (error instanceof MaterializeMismatch) return true;
  const cause = error instanceof SluiceError ? error.cause : error;
  return cause instanceof Error && /Invalid Input Error|Conversion Error/.test(cause.message);
}
