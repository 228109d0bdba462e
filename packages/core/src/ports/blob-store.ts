import { SluiceError } from '../errors.ts';

/**
 * BlobStore: where dataset snapshots (Parquet shards, manifest.json, dataset card) are published
 * for trainers. Adapters: a local directory (embedded) and S3-compatible object storage.
 *
 * Keys are '/'-separated relative paths ('snapshots/abc/data/train-00000-of-00004.parquet').
 * Every method validates its key with `assertValidBlobKey`, so a key means the same thing on
 * disk and in a bucket and can never escape the store's root.
 */
export interface BlobObjectInfo {
  key: string;
  size: number;
  /** Lowercase hex, when the store kept it (S3: object metadata; not kept by the local store). */
  sha256?: string;
  contentType?: string;
  /** Milliseconds since the epoch. */
  lastModified?: number;
}

export type BlobBody = AsyncIterable<Uint8Array> | Uint8Array | string;

export interface BlobPutOptions {
  contentType?: string;
}

/** What was durably written: the size in bytes and the lowercase hex SHA-256 of the content. */
export interface BlobWritten {
  size: number;
  sha256: string;
}

/** A byte range: `start` inclusive, `end` exclusive (like `Uint8Array.slice`); clamped to the object. */
export interface BlobRange {
  start: number;
  end?: number;
}

export interface BlobRead {
  /** Holds a file handle or connection: read it to the end, or leave a `for await` with break. */
  body: AsyncIterable<Uint8Array>;
  /** Size of the whole object. */
  size: number;
  /** Bytes in `body`: `size` for a full read, the clamped range length otherwise. */
  contentLength: number;
}

export interface BlobStore {
  readonly kind: string;
  /**
   * Writes an object atomically: readers see the previous object (or none) until the write has
   * completed, then the whole new one; never a partial object. A write that fails — including a
   * body iterable that throws — leaves the key as it was and no temporary objects behind. An
   * error thrown by the body iterable is rethrown unchanged.
   */
  put(key: string, body: BlobBody, options?: BlobPutOptions): Promise<BlobWritten>;
  /**
   * Uploads a local file (shards are written to local disk by DuckDB first), streaming, then
   * verifies what the store holds (size and SHA-256) and throws SLUICE_ERR_BLOB_INTEGRITY on a
   * mismatch, or when the file changed while it was being uploaded.
   */
  putFile(key: string, path: string, options?: BlobPutOptions): Promise<BlobWritten>;
  /** Throws SLUICE_ERR_BLOB_NOT_FOUND when there is no object under `key`. */
  get(key: string, range?: BlobRange): Promise<BlobRead>;
  /** null when there is no object under `key`. */
  head(key: string): Promise<BlobObjectInfo | null>;
  /**
   * Objects whose key starts with `prefix` (a plain string prefix, not only whole segments;
   * '' lists everything), in ascending order of the keys' UTF-8 bytes, as S3 lists them. Never
   * yields temporary or incomplete objects.
   */
  list(prefix: string): AsyncIterable<BlobObjectInfo>;
  /** Removes the object; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * A URL a trainer can GET directly for `expiresInSeconds` (1 s to 7 days, the S3 maximum),
   * or null for stores that cannot hand out URLs (local). Does not check that the key exists.
   */
  presignGet(key: string, expiresInSeconds: number): Promise<string | null>;
  /** Releases connections; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** First key segment reserved for adapters' in-flight writes (the local store's temp files). */
export const BLOB_RESERVED_SEGMENT = '.tmp';

/** S3's limit; also keeps local paths well under PATH_MAX. */
const MAX_KEY_BYTES = 1024;
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

function invalid(message: string): SluiceError {
  return new SluiceError('SLUICE_ERR_INPUT_INVALID', message);
}

// Control characters break S3 XML listings and terminals; backslashes are path separators on
// Windows and would let one key mean two different things.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f\\]/;

function checkSegments(text: string, what: 'key' | 'prefix'): void {
  if (typeof text !== 'string') throw invalid(`blob ${what} must be a string`);
  if (Buffer.byteLength(text) > MAX_KEY_BYTES) throw invalid(`blob ${what} is longer than ${MAX_KEY_BYTES} bytes`);
  if (FORBIDDEN_CHARS.test(text)) throw invalid(`blob ${what} ${JSON.stringify(text)} contains a backslash or a control character`);
  if (text.startsWith('/')) throw invalid(`blob ${what} ${JSON.stringify(text)} must be relative (no leading '/')`);
  const segments = text.split('/');
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    // A prefix may end mid-segment or with '/', so its last segment may be empty or partial.
    if (segment === '' && !(what === 'prefix' && last)) throw invalid(`blob ${what} ${JSON.stringify(text)} has an empty segment`);
    if ((segment === '.' || segment === '..') && !(what === 'prefix' && last)) {
      throw invalid(`blob ${what} ${JSON.stringify(text)} has a '.' or '..' segment`);
    }
  }
}

export function assertValidBlobKey(key: string): void {
  if (key === '') throw invalid('blob key must not be empty');
  checkSegments(key, 'key');
  if (key.split('/', 1)[0] === BLOB_RESERVED_SEGMENT) throw invalid(`blob key ${JSON.stringify(key)} is in the reserved '${BLOB_RESERVED_SEGMENT}/' folder`);
}

export function assertValidBlobPrefix(prefix: string): void {
  if (prefix !== '') checkSegments(prefix, 'prefix');
}

export function assertValidBlobRange(range: BlobRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) throw invalid(`range start must be a non-negative integer, got ${start}`);
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) throw invalid(`range end must be an integer >= start, got ${end}`);
}

export function assertValidPresignExpiry(seconds: number): void {
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
    throw invalid(`presigned URL lifetime must be 1..${MAX_PRESIGN_SECONDS} seconds, got ${seconds}`);
  }
}

/** Compares keys the way S3 orders them: by their UTF-8 bytes (differs from JS `<` above U+FFFF). */
export function compareBlobKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The body as a sequence of byte chunks, whatever form it was given in. */
export async function* blobBodyChunks(body: BlobBody): AsyncIterable<Uint8Array> {
  if (typeof body === 'string') yield Buffer.from(body, 'utf8');
  else if (body instanceof Uint8Array) yield body;
  else {
    for await (const chunk of body) {
      // A Readable with an encoding set yields strings; hashing them as bytes would be wrong.
      if (!(chunk instanceof Uint8Array)) throw new TypeError('blob body chunks must be Uint8Array');
      yield chunk;
    }
  }
}
