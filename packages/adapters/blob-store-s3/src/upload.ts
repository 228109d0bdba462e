import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { SluiceError, type BlobWritten } from '@sluice/core';
import { s3Checksum, sha256, type ExpectedObject } from './checksums.ts';
import { MAX_PARTS } from './options.ts';
import { Tally, toParts } from './parts.ts';
import type { S3Call } from './s3-client.ts';

export interface UploadSettings {
  s3: S3Call;
  bucket: string;
  partSize: number;
  concurrency: number;
  checksums: boolean;
}

export interface UploadRequest {
  objectKey: string;
  contentType?: string;
  /** SHA-256 known before the upload (putFile); stored as metadata so `head` can report it. */
  sha256?: string;
  /**
   * Called once every byte has been read, before the object becomes visible; throwing here
   * cancels the upload (putFile uses it to catch a file that changed while it was read).
   */
  beforePublish?: (written: BlobWritten) => Promise<void> | void;
}

export interface Uploaded {
  written: BlobWritten;
  expected: ExpectedObject;
  etag: string | undefined;
}

/**
 * Uploads a body straight to its final key. A body of at most one part is one PutObject; a larger
 * one is a multipart upload. Both are atomic on S3: a PUT replaces the object in one step, and a
 * multipart upload's parts are invisible — never listed, never readable under the key — until
 * CompleteMultipartUpload assembles them into the object in one step. A failed multipart upload
 * is aborted, so no parts linger. So no temporary key and no server-side copy are needed.
 */
export async function uploadBody(settings: UploadSettings, request: UploadRequest, chunks: AsyncIterable<Uint8Array>): Promise<Uploaded> {
  const tally = new Tally();
  const parts = toParts(chunks, settings.partSize, tally);
  const first = await parts.next();
  const second = first.done ? first : await parts.next();
  if (second.done) return putSingle(settings, request, first.done ? Buffer.alloc(0) : first.value, tally);
  return putMultipart(settings, request, prepend([first.value, second.value], parts), tally);
}

async function* prepend(head: Buffer[], rest: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  yield* head;
  yield* rest;
}

function metadataOf(request: UploadRequest): { Metadata?: Record<string, string>; ContentType?: string } {
  return {
    ...(request.sha256 === undefined ? {} : { Metadata: { sha256: request.sha256 } }),
    ...(request.contentType === undefined ? {} : { ContentType: request.contentType }),
  };
}

async function putSingle(settings: UploadSettings, request: UploadRequest, body: Buffer, tally: Tally): Promise<Uploaded> {
  const written = tally.finish();
  await request.beforePublish?.(written);
  const digest = sha256(body);
  // A whole-body put knows its hash up front, so it always stores it.
  const withHash = { ...request, sha256: written.sha256 };
  const checksum = settings.checksums ? { ChecksumAlgorithm: 'SHA256' as const, ChecksumSHA256: digest.toString('base64') } : {};
  const response = await settings.s3(`put ${request.objectKey}`, (c) =>
    c.send(new PutObjectCommand({ Bucket: settings.bucket, Key: request.objectKey, Body: body, ContentLength: body.length, ...metadataOf(withHash), ...checksum })),
  );
  const expected: ExpectedObject = { ...written, ...(settings.checksums ? { checksum: s3Checksum([digest], true) } : {}) };
  return { written, expected, etag: response.ETag };
}

async function putMultipart(settings: UploadSettings, request: UploadRequest, parts: AsyncIterable<Buffer>, tally: Tally): Promise<Uploaded> {
  const { s3, bucket } = settings;
  const Key = request.objectKey;
  const created = await s3(`start upload ${Key}`, (c) =>
    c.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key, ...metadataOf(request), ...(settings.checksums ? { ChecksumAlgorithm: 'SHA256' } : {}) })),
  );
  const UploadId = created.UploadId;
  if (UploadId === undefined) throw new SluiceError('SLUICE_ERR_BLOB_STORE_UNAVAILABLE', `S3 blob store: no UploadId for ${Key}`);
  try {
    const { completed, digests } = await uploadParts(settings, { Key, UploadId }, parts);
    const written = tally.finish();
    await request.beforePublish?.(written);
    const response = await s3(`complete upload ${Key}`, (c) =>
      c.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key, UploadId, MultipartUpload: { Parts: completed } })),
    );
    const expected: ExpectedObject = { ...written, ...(settings.checksums ? { checksum: s3Checksum(digests, false) } : {}) };
    return { written, expected, etag: response.ETag };
  } catch (error) {
    // Best effort: if the abort fails too, the parts stay invisible but billed until a bucket
    // lifecycle rule (AbortIncompleteMultipartUpload) removes them.
    await s3(`abort upload ${Key}`, (c) => c.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId }))).catch(() => undefined);
    throw error;
  }
}

/** Uploads parts in order of arrival, at most `concurrency` at a time, reading ahead by one part. */
async function uploadParts(settings: UploadSettings, upload: { Key: string; UploadId: string }, parts: AsyncIterable<Buffer>) {
  const completed: CompletedPart[] = [];
  const digests: Buffer[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let partNumber = 0;
  try {
    for await (const part of parts) {
      if (failure) break;
      const PartNumber = ++partNumber;
      if (PartNumber > MAX_PARTS) {
        throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `S3 blob store: ${upload.Key} needs more than ${MAX_PARTS} parts; raise partSizeBytes`);
      }
      const digest = sha256(part);
      digests[PartNumber - 1] = digest;
      const checksum = settings.checksums ? { ChecksumSHA256: digest.toString('base64') } : {};
      const uploading = settings
        .s3(`upload part ${PartNumber} of ${upload.Key}`, (c) =>
          c.send(new UploadPartCommand({ Bucket: settings.bucket, ...upload, PartNumber, Body: part, ContentLength: part.length, ...checksum })),
        )
        .then(
          (response) => void (completed[PartNumber - 1] = { PartNumber, ETag: response.ETag, ...checksum }),
          (error: unknown) => void (failure ??= { error }),
        )
        .finally(() => inFlight.delete(uploading));
      inFlight.add(uploading);
      if (inFlight.size >= settings.concurrency) await Promise.race(inFlight);
    }
  } finally {
    // Also on a body failure: an abort while parts are still arriving could leave some behind.
    await Promise.all(inFlight);
  }
  if (failure) throw failure.error;
  return { completed, digests };
}
