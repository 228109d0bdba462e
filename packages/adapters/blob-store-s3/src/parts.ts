import { createHash } from 'node:crypto';
import type { BlobWritten } from '@sluice/core';

/** Wraps an error thrown by the caller's body, so it is rethrown unchanged rather than mapped. */
export class BodyFailure {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

/** Running size and SHA-256 of the parts handed out, i.e. of exactly the bytes uploaded. */
export class Tally {
  readonly #hash = createHash('sha256');
  size = 0;
  add(part: Uint8Array): void {
    this.#hash.update(part);
    this.size += part.length;
  }
  /** Only once, after the last part. */
  finish(): BlobWritten {
    return { size: this.size, sha256: this.#hash.digest('hex') };
  }
}

/**
 * Re-chunks a body into parts of exactly `partSize` bytes (the last may be shorter) and counts
 * them into `tally`. Chunks are copied: a producer that reuses its buffer cannot change a part
 * after it was hashed.
 */
export async function* toParts(chunks: AsyncIterable<Uint8Array>, partSize: number, tally: Tally): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const take = (): Buffer => {
    const part = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    tally.add(part);
    return part;
  };
  for await (const chunk of bodyChunks(chunks)) {
    for (let offset = 0; offset < chunk.length; ) {
      const length = Math.min(partSize - pendingBytes, chunk.length - offset);
      pending.push(Buffer.from(chunk.subarray(offset, offset + length)));
      pendingBytes += length;
      offset += length;
      if (pendingBytes === partSize) yield take();
    }
  }
  if (pendingBytes > 0) yield take();
}

/**
 * The caller's chunks, with their errors marked as BodyFailure. `for await` over this closes
 * the source when the upload stops early (e.g. closes the file a read stream holds open).
 */
async function* bodyChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      let step: IteratorResult<Uint8Array>;
      try {
        step = await iterator.next();
      } catch (error) {
        finished = true;
        throw new BodyFailure(error);
      }
      if (step.done) {
        finished = true;
        return;
      }
      yield step.value;
    }
  } finally {
    if (!finished) await iterator.return?.();
  }
}
