import { SluiceError } from '@sluice/core';

/** A satisfiable range: `start` inclusive, `end` exclusive (as BlobRange). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Parses a `Range` header for one byte range (RFC 9110 §14): `bytes=a-b`, `bytes=a-` or
 * `bytes=-n`. Returns null when the whole file should be sent: no header, another unit, a
 * malformed value, or several ranges (which servers may ignore; trainers resume with one).
 * Throws SLUICE_ERR_RANGE_NOT_SATISFIABLE when the range starts past the end.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) throw unsatisfiable(size);
    return { start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(first);
  const end = last === '' ? size : Math.min(Number(last) + 1, size);
  if (last !== '' && Number(last) < start) return null;
  if (start >= size) throw unsatisfiable(size);
  return { start, end };
}

function unsatisfiable(size: number): SluiceError {
  return new SluiceError('SLUICE_ERR_RANGE_NOT_SATISFIABLE', undefined, { details: { size } });
}
