import { SluiceError } from '@sluice/core';
import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { decodeRecord, type RecordFault, type RecordVersion } from './staging-record.ts';

/** One segment file of the staging log, named after the seq of its first record. */
export interface Segment {
  path: string;
  firstSeq: number;
  /** Seq of its last record; firstSeq - 1 while it holds none. */
  lastSeq: number;
  size: number;
}

/** Where an acknowledged record sits, for the materialiser to read it back. */
export interface RecordRef {
  seq: number;
  /** The record's meta layout (staging-record.ts): records of one version are materialised together. */
  version: RecordVersion;
  events: number;
  /** Size of its bodies (what the checkpoint policy counts). */
  bytes: number;
  segment: Segment;
  offset: number;
  size: number;
}

const SEGMENT_NAME = /^(\d{20})\.log$/;

export function segmentPath(dir: string, firstSeq: number): string {
  return join(dir, `${String(firstSeq).padStart(20, '0')}.log`);
}

/**
 * Reads the staging log at open (docs/decisions/0010). Segments wholly materialised (every seq ≤
 * `materializedSeq`, the mark committed with the events) are deleted: a crash may have left them
 * after the commit. A torn tail, the last write of the last segment cut short by a crash, was never
 * acknowledged (the answer waits for fdatasync) and is truncated away. Anything else that is not an
 * intact record, or a gap in the seqs, is refused with SLUICE_ERR_STAGING_LOG_CORRUPT: dropping it
 * would silently lose acknowledged events.
 */
export async function recoverSegments(dir: string, materializedSeq: number): Promise<{ segments: Segment[]; pending: RecordRef[]; lastSeq: number }> {
  const created = await mkdir(dir, { recursive: true });
  // A new directory's own entry must survive a crash too, or the segments in it could vanish with it.
  if (created !== undefined) await syncDirectory(dirname(dir));
  const names = (await readdir(dir)).filter((name) => SEGMENT_NAME.test(name)).sort();
  const segments: Segment[] = [];
  const pending: RecordRef[] = [];
  for (const [i, name] of names.entries()) {
    const segment: Segment = { path: join(dir, name), firstSeq: Number(SEGMENT_NAME.exec(name)![1]), lastSeq: 0, size: 0 };
    segment.lastSeq = segment.firstSeq - 1;
    const buffer = await readFile(segment.path);
    let offset = 0;
    while (offset < buffer.length) {
      const decoded = decodeRecord(buffer, offset);
      if ('fault' in decoded) {
        if (i === names.length - 1 && isTornTail(buffer, offset, decoded.size)) {
          await truncateDurably(segment.path, offset);
          break;
        }
        throw corrupt(segment.path, offset, decoded.fault);
      }
      const { record, size } = decoded;
      if (record.seq !== segment.lastSeq + 1) throw corrupt(segment.path, offset, `seq ${record.seq} after ${segment.lastSeq}`);
      segment.lastSeq = record.seq;
      if (record.seq > materializedSeq) {
        pending.push({ seq: record.seq, version: record.version, events: record.events, bytes: record.bodies.length, segment, offset, size });
      }
      offset += size;
    }
    segment.size = offset;
    const previous = segments.at(-1);
    if (previous && segment.firstSeq !== previous.lastSeq + 1) throw corrupt(segment.path, 0, `starts at seq ${segment.firstSeq}, after ${previous.lastSeq}`);
    segments.push(segment);
  }
  // Segments are deleted oldest first, so what is left must continue right after the mark.
  const kept: Segment[] = [];
  for (const segment of segments) {
    if (segment.lastSeq <= materializedSeq) await unlink(segment.path);
    else kept.push(segment);
  }
  if (kept[0] && kept[0].firstSeq > materializedSeq + 1) {
    throw corrupt(kept[0].path, 0, `starts at seq ${kept[0].firstSeq} but only seqs up to ${materializedSeq} were materialised`);
  }
  return { segments: kept, pending, lastSeq: Math.max(materializedSeq, kept.at(-1)?.lastSeq ?? 0) };
}

/**
 * The bad bytes run to the end of the file: the record's claimed end is at or past EOF, or its
 * header is cut short or never reached the disk (zeros). A bad record followed by more bytes was
 * followed by a later write, which only starts after this one was synced: damage, not a torn tail.
 */
function isTornTail(buffer: Buffer, offset: number, claimedSize: number | null): boolean {
  if (claimedSize !== null && offset + claimedSize >= buffer.length) return true;
  if (buffer.length - offset < 12) return true;
  for (let i = offset; i < buffer.length; i++) if (buffer[i] !== 0) return false;
  return true;
}

/** fsync on a directory: makes the creation (or removal) of its entries durable. */
export async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

async function truncateDurably(path: string, size: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(size);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

function corrupt(path: string, offset: number, fault: RecordFault | string): SluiceError {
  return new SluiceError('SLUICE_ERR_STAGING_LOG_CORRUPT',
    `the staging log ${path} is damaged at byte ${offset} (${fault}); acknowledged events may be in it, so Sluice refuses to start `
    + 'rather than drop them. Keep a copy of the directory; see docs/errors.md',
    { details: { file: path, offset, fault } });
}
