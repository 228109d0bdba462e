import { createReadStream } from 'node:fs';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  BLOB_RESERVED_SEGMENT,
  SluiceError,
  assertValidBlobKey,
  assertValidBlobPrefix,
  assertValidBlobRange,
  assertValidPresignExpiry,
  blobBodyChunks,
  hashFile,
  statFile,
  type BlobObjectInfo,
  type BlobRead,
  type BlobStore,
  type BlobWritten,
} from '@sluice/core';
import { partSizeFor, resolveS3Options, type S3BlobStoreOptions } from './options.ts';
import { BodyFailure } from './parts.ts';
import { createS3Call, createS3Client } from './s3-client.ts';
import { httpStatusOf } from './s3-errors.ts';
import { uploadBody, type UploadRequest, type UploadSettings } from './upload.ts';
import { verifyStored } from './verify.ts';

/**
 * A BlobStore on S3 or an S3-compatible store (MinIO, R2, GCS interoperability). Key 'a/b' is the
 * object `<prefix>a/b` in the bucket. Every write is verified after it completes (see verifyStored).
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const resolved = resolveS3Options(options);
  const { bucket, keyPrefix } = resolved;
  const client = createS3Client(options);
  const s3 = createS3Call(client);
  const settings: UploadSettings = { s3, bucket, partSize: resolved.partSize, concurrency: resolved.concurrency, checksums: resolved.checksums };
  const objectKeyOf = (key: string): string => {
    assertValidBlobKey(key);
    return keyPrefix + key;
  };

  async function write(uploadSettings: UploadSettings, request: UploadRequest, chunks: AsyncIterable<Uint8Array>): Promise<BlobWritten> {
    const uploaded = await uploadBody(uploadSettings, request, chunks);
    await verifyStored(s3, { bucket, objectKey: request.objectKey, etag: uploaded.etag }, uploaded.expected);
    return uploaded.written;
  }

  async function head(key: string): Promise<BlobObjectInfo | null> {
    const Key = objectKeyOf(key);
    try {
      const response = await s3(`head ${Key}`, (c) => c.send(new HeadObjectCommand({ Bucket: bucket, Key })));
      const info: BlobObjectInfo = { key, size: response.ContentLength ?? 0 };
      if (response.Metadata?.sha256 !== undefined) info.sha256 = response.Metadata.sha256;
      if (response.ContentType !== undefined) info.contentType = response.ContentType;
      if (response.LastModified !== undefined) info.lastModified = response.LastModified.getTime();
      return info;
    } catch (error) {
      if (error instanceof SluiceError && error.code === 'SLUICE_ERR_BLOB_NOT_FOUND') return null;
      throw error;
    }
  }

  /** What `get` returns for an empty range, which HTTP cannot express, or one past the end. */
  async function emptyRead(key: string): Promise<BlobRead> {
    const info = await head(key);
    if (info === null) throw new SluiceError('SLUICE_ERR_BLOB_NOT_FOUND', `S3 blob store: no object ${JSON.stringify(keyPrefix + key)}`);
    return { body: emptyBody(), size: info.size, contentLength: 0 };
  }

  async function* listPages(prefix: string): AsyncIterable<BlobObjectInfo> {
    let token: string | undefined;
    do {
      const page = await s3(`list ${keyPrefix + prefix}`, (c) =>
        c.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: keyPrefix + prefix, ...(token === undefined ? {} : { ContinuationToken: token }) })),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        const key = object.Key.slice(keyPrefix.length);
        // Never written by Sluice (such keys are rejected), but listed the same as on disk.
        if (key.split('/', 1)[0] === BLOB_RESERVED_SEGMENT) continue;
        const info: BlobObjectInfo = { key, size: object.Size ?? 0 };
        if (object.LastModified !== undefined) info.lastModified = object.LastModified.getTime();
        yield info;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  return {
    kind: 's3',

    async put(key, body, options): Promise<BlobWritten> {
      const request: UploadRequest = { objectKey: objectKeyOf(key), ...options };
      try {
        return await write(settings, request, blobBodyChunks(body));
      } catch (error) {
        if (error instanceof BodyFailure) throw error.error;
        throw error;
      }
    },

    async putFile(key, path, options): Promise<BlobWritten> {
      const objectKey = objectKeyOf(key);
      const before = await statFile(path);
      // Hashed first so the SHA-256 can be stored as metadata, which must be set when the upload starts.
      const { sha256 } = await hashFile(path).catch((error: unknown) => {
        throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `cannot read ${path}: ${String(error)}`, { cause: error });
      });
      const changed = (reason: string) => new SluiceError('SLUICE_ERR_BLOB_INTEGRITY', `S3 blob store: ${path} changed while it was uploaded (${reason}); nothing was published`);
      const request: UploadRequest = {
        objectKey,
        ...options,
        sha256,
        beforePublish: async (written) => {
          const after = await statFile(path);
          if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) throw changed('size or mtime');
          if (written.size !== before.size || written.sha256 !== sha256) throw changed('content');
        },
      };
      const fileSettings = { ...settings, partSize: partSizeFor(before.size, settings.partSize) };
      try {
        return await write(fileSettings, request, createReadStream(path, { highWaterMark: 1024 * 1024 }));
      } catch (error) {
        if (error instanceof BodyFailure) {
          throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `S3 blob store: cannot read ${path}: ${String(error.error)}`, { cause: error.error });
        }
        throw error;
      }
    },

    async get(key, range): Promise<BlobRead> {
      const Key = objectKeyOf(key);
      if (range) assertValidBlobRange(range);
      if (range?.end !== undefined && range.end === range.start) return emptyRead(key);
      // HTTP ranges are inclusive at both ends; ours is exclusive at the end.
      const Range = range && !(range.start === 0 && range.end === undefined) ? `bytes=${range.start}-${range.end === undefined ? '' : range.end - 1}` : undefined;
      try {
        const response = await s3(`get ${Key}`, (c) => c.send(new GetObjectCommand({ Bucket: bucket, Key, ...(Range === undefined ? {} : { Range }) })));
        const contentLength = response.ContentLength ?? 0;
        const body = response.Body as unknown;
        if (typeof body !== 'object' || body === null || !(Symbol.asyncIterator in body)) {
          throw new SluiceError('SLUICE_ERR_INTERNAL', `S3 blob store: get ${Key}: the response body is not a stream`);
        }
        return { body: body as AsyncIterable<Uint8Array>, size: totalSize(response.ContentRange) ?? contentLength, contentLength };
      } catch (error) {
        // 416: the range starts at or past the end (or the object is empty).
        if (error instanceof SluiceError && httpStatusOf(error.cause) === 416) return emptyRead(key);
        throw error;
      }
    },

    head,

    list(prefix): AsyncIterable<BlobObjectInfo> {
      return {
        [Symbol.asyncIterator]() {
          assertValidBlobPrefix(prefix);
          return listPages(prefix)[Symbol.asyncIterator]();
        },
      };
    },

    async delete(key): Promise<void> {
      const Key = objectKeyOf(key);
      // S3 answers 204 for a missing key too, which is what makes this idempotent.
      await s3(`delete ${Key}`, (c) => c.send(new DeleteObjectCommand({ Bucket: bucket, Key })));
    },

    async presignGet(key, expiresInSeconds): Promise<string> {
      const Key = objectKeyOf(key);
      assertValidPresignExpiry(expiresInSeconds);
      return s3(`presign ${Key}`, (c) => getSignedUrl(c, new GetObjectCommand({ Bucket: bucket, Key }), { expiresIn: expiresInSeconds }));
    },

    async close(): Promise<void> {
      client.destroy();
    },
  };
}

/** The object size from a Content-Range header ("bytes 0-9/1000"). */
function totalSize(contentRange: string | undefined): number | undefined {
  const total = contentRange?.split('/')[1];
  return total === undefined || total === '*' ? undefined : Number(total);
}

async function* emptyBody(): AsyncIterable<Uint8Array> {}
