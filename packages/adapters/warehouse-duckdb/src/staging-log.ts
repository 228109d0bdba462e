import { SluiceError } from '@sluice/core';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { BODY_SEPARATOR } from './ingest-log.ts';
import { ByteRing, ScratchBuffer } from './scratch-buffer.ts';
import { decodeRecord, encodeRecord, type StagingRecord } from './staging-record.ts';
import { recoverSegments, segmentPath, syncDirectory, type RecordRef, type Segment } from './staging-recovery.ts';

export type { RecordRef } from './staging-recovery.ts';

/**
 * The append-only file log that acknowledges embedded ingest (docs/decisions/0010): one write and
 * one fdatasync per group commit, in segment files under `dir` that roll at `segmentBytes` and are
 * deleted once the materialiser has committed all their events (with the mark, in DuckDB).
 */
export interface StagingLog {
  /**
   * Memory for the next record's bodies: inside the log's in-memory copies when they fit, so that
   * `append` keeps them without copying them (one ~300 KB buffer less to allocate and copy per
   * group commit), else fresh. Fill it, then pass it to `append`, before asking for the next one.
   */
  bodiesBuffer(size: number): Buffer;
  /**
   * Appends one record and resolves once it is on disk (fdatasync returned): only then may the
   * caller acknowledge. The log keeps `meta` (not a copy) for the materialiser: leave it unchanged.
   */
  append(events: number, bodies: Buffer, meta: Buffer): Promise<RecordRef>;
  /**
   * Reads records back (intact, in order). Records appended by this process are still held in
   * memory (up to `memoryBytes`) and returned as they were written; the others are read from their
   * files, consecutive records of a segment in one read, into a buffer the next `read` reuses: use
   * them before calling it again.
   */
  read(refs: readonly RecordRef[]): Promise<StagingRecord[]>;
  /** Throws SLUICE_ERR_STORAGE_UNAVAILABLE once an fdatasync failed (appends are refused until a restart recovers the log). */
  assertWritable(): void;
  /** Forgets the records with seq ≤ `seq` and deletes the segments they all fill (except the one being appended to). */
  release(seq: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * `memoryBytes` (default 64 MiB): the bodies of appended records kept in memory for the materialiser,
 * which then needs neither a read nor a second CRC check of what this process just wrote and
 * synced (docs/decisions/0013). Records that do not fit (a backlog of ≈90k events or more) are
 * read back from their files.
 */
export async function openStagingLog(dir: string, options: { materializedSeq: number; segmentBytes: number; memoryBytes?: number }): Promise<{ log: StagingLog; pending: RecordRef[] }> {
  const recovered = await recoverSegments(dir, options.materializedSeq);
  const segments = recovered.segments;
  const handles = new Map<Segment, FileHandle>();
  let lastSeq = recovered.lastSeq;
  let active: Segment | null = segments.at(-1) ?? null;
  /** Appends run one after another: each write starts where the synced previous one ended. */
  let tail: Promise<unknown> = Promise.resolve();
  /** After a failed fdatasync the file's state is unknown: refuse every further append. */
  let broken: unknown = null;
  let closed = false;
  const readBuffer = new ScratchBuffer();
  /** Copies of the records appended since open and not yet released, in seq order, while they fit in `memoryBytes`. */
  const held = new Map<number, StagingRecord>();
  // Bodies written through bodiesBuffer are each followed by the separator between bodies, so the
  // bodies of records appended one after another already read as the materialiser joins them.
  const ring = new ByteRing(options.memoryBytes ?? 64 * 2 ** 20, BODY_SEPARATOR);

  async function handleOf(segment: Segment): Promise<FileHandle> {
    let handle = handles.get(segment);
    if (!handle) handles.set(segment, (handle = await open(segment.path, 'r+')));
    return handle;
  }

  async function roll(firstSeq: number): Promise<Segment> {
    const segment: Segment = { path: segmentPath(dir, firstSeq), firstSeq, lastSeq: firstSeq - 1, size: 0 };
    handles.set(segment, await open(segment.path, 'wx+'));
    // The new file's directory entry must survive a crash too.
    await syncDirectory(dir);
    segments.push(segment);
    return segment;
  }

  async function write(events: number, bodies: Buffer, meta: Buffer): Promise<RecordRef> {
    try {
      return await writeSynced(events, bodies, meta);
    } finally {
      // Kept by writeSynced on success; otherwise its room is free again.
      ring.cancel(bodies);
    }
  }

  async function writeSynced(events: number, bodies: Buffer, meta: Buffer): Promise<RecordRef> {
    if (closed) throw new SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE', 'the staging log is closed');
    if (broken) throw unavailable('an earlier write to the staging log failed', broken);
    const seq = lastSeq + 1;
    const { chunks, size } = encodeRecord({ version: 2, seq, events, bodies, meta });
    if (!active || (active.size > 0 && active.size + size > options.segmentBytes)) active = await roll(seq);
    const segment = active;
    const handle = await handleOf(segment);
    const offset = segment.size;
    try {
      const { bytesWritten } = await handle.writev(chunks, offset);
      if (bytesWritten !== size) throw new Error(`short write: ${bytesWritten} of ${size} bytes`);
    } catch (error) {
      // Cut the partial record off so the next append starts at a record boundary.
      await handle.truncate(offset).catch((truncateError: unknown) => { broken = truncateError; });
      throw unavailable('cannot write the staging log', error);
    }
    try {
      await handle.datasync();
    } catch (error) {
      broken = error;
      throw unavailable('cannot sync the staging log', error);
    }
    segment.size = offset + size;
    segment.lastSeq = seq;
    lastSeq = seq;
    const kept = ring.keep(bodies);
    if (kept) held.set(seq, { version: 2, seq, events, bodies: kept, meta });
    return { seq, version: 2, events, bytes: bodies.length, segment, offset, size };
  }

  /** Reads one run of consecutive records into `buffer` (exactly their bytes). */
  async function readRun(run: readonly RecordRef[], buffer: Buffer): Promise<StagingRecord[]> {
    const first = run[0]!;
    const length = buffer.length;
    const { bytesRead } = await (await handleOf(first.segment)).read(buffer, 0, length, first.offset);
    return run.map((ref) => {
      const decoded = bytesRead === length ? decodeRecord(buffer, ref.offset - first.offset) : { fault: 'short' as const };
      if ('fault' in decoded || decoded.record.seq !== ref.seq) {
        throw new SluiceError('SLUICE_ERR_STAGING_LOG_CORRUPT', `the staging log ${ref.segment.path} changed under the server at byte ${ref.offset}`,
          { details: { file: ref.segment.path, offset: ref.offset } });
      }
      return decoded.record;
    });
  }

  const log: StagingLog = {
    bodiesBuffer: (size) => ring.reserve(size) ?? Buffer.allocUnsafe(size),
    append(events, bodies, meta) {
      const result = tail.then(() => write(events, bodies, meta));
      tail = result.catch(() => undefined);
      return result;
    },
    assertWritable() {
      if (broken) throw unavailable('an earlier write to the staging log failed', broken);
    },
    async read(refs) {
      const runs: RecordRef[][] = [];
      for (const ref of refs) {
        if (held.has(ref.seq)) continue;
        const run = runs.at(-1);
        const previous = run?.at(-1);
        if (run && previous && previous.segment === ref.segment && previous.offset + previous.size === ref.offset) run.push(ref);
        else runs.push([ref]);
      }
      const runBytes = (run: readonly RecordRef[]) => run.at(-1)!.offset + run.at(-1)!.size - run[0]!.offset;
      const buffer = readBuffer.take(runs.reduce((n, run) => n + runBytes(run), 0));
      const fromFiles = new Map<number, StagingRecord>();
      let at = 0;
      for (const run of runs) {
        const length = runBytes(run);
        for (const record of await readRun(run, buffer.subarray(at, at + length))) fromFiles.set(record.seq, record);
        at += length;
      }
      return refs.map((ref) => (held.get(ref.seq) ?? fromFiles.get(ref.seq))!);
    },
    async release(seq) {
      for (const heldSeq of held.keys()) {
        if (heldSeq > seq) break;
        held.delete(heldSeq);
        ring.shift();
      }
      while (segments.length > 0 && segments[0] !== active && segments[0]!.lastSeq <= seq) {
        const segment = segments.shift()!;
        await handles.get(segment)?.close();
        handles.delete(segment);
        await unlink(segment.path);
      }
    },
    async close() {
      closed = true;
      await tail;
      for (const handle of handles.values()) await handle.close();
      handles.clear();
      held.clear();
    },
  };
  return { log, pending: recovered.pending };
}

function unavailable(message: string, cause: unknown): SluiceError {
  return new SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE', `${message}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
}
