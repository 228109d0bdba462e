import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { DemoRecord } from '../types.ts';

/**
 * JSON Lines for replay: one `{"source", "event", "invalid"?, "resend"?}` object per line, so a
 * replayer knows which write key each event belongs to and what the server should do with it.
 * Written with backpressure: memory stays flat however many events the generator yields.
 */
export async function writeJsonLines(records: Iterable<DemoRecord> | AsyncIterable<DemoRecord>, path: string): Promise<{ written: number; bytes: number }> {
  const out = createWriteStream(path);
  const failed = once(out, 'error').then(([error]) => { throw error; });
  failed.catch(() => undefined);
  let written = 0;
  let bytes = 0;
  for await (const record of records) {
    const line = `${JSON.stringify(record)}\n`;
    bytes += Buffer.byteLength(line);
    written++;
    if (!out.write(line)) await Promise.race([once(out, 'drain'), failed]);
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return { written, bytes };
}

/** Reads a file written by writeJsonLines, lazily, for `sendOverHttp` or any other consumer. */
export async function* readJsonLines(path: string): AsyncGenerator<DemoRecord> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    yield JSON.parse(line) as DemoRecord;
  }
}
