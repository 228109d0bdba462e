/**
 * A lean HTTP/1.1 load generator on node:net, the "raw" alternative to autocannon for the ingest
 * benchmarks. It sends the same requests (POST, the same headers, fresh 100-event batches) over
 * keep-alive connections, one request in flight per connection, and measures the same things.
 *
 * Why it exists: the generator runs on the same two cores as the server under test. autocannon
 * spends ≈230 µs of CPU per 60 KB request here, a quarter to a third of a core at the rates Sluice
 * reaches, taken from a server that uses both cores. This generator stamps fresh ids into a
 * reusable per-connection buffer and parses only the status line and Content-Length, so it spends
 * far less per request (both figures are printed by the benchmarks). The bare route is
 * single-threaded and gets a full core either way. See docs/decisions/0015-lean-load-generator.md.
 */
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchBuffers } from './batch-body.ts';

export interface RawLoadOptions {
  url: string;
  path: string;
  headers: Record<string, string>;
  seconds: number;
  connections: number;
  /** Requests per second over all connections; unset: as fast as the server answers. */
  overallRate?: number;
  batches: () => BatchBuffers;
}

export interface RawLoadResult {
  ok: number;
  non2xx: number;
  errors: number;
  /** Milliseconds from writing the request to reading the whole response, of those counted. */
  latencies: number[];
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = 'content-length:';

export async function rawLoad(options: RawLoadOptions): Promise<RawLoadResult> {
  const target = new URL(options.url);
  const result: RawLoadResult = { ok: 0, non2xx: 0, errors: 0, latencies: [] };
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const interval = options.overallRate ? 1000 / options.overallRate : 0;
  let issued = 0;

  /** When the next request may go out: now when unlimited, else the next free slot of the rate. */
  function nextSlot(): number {
    return interval === 0 ? 0 : started + interval * issued++;
  }

  /** One connection's requests until the deadline; a failed connection is counted and opened again. */
  async function runConnection(): Promise<void> {
    const batches = options.batches();
    while (performance.now() < deadline) {
      let socket: Socket | null = null;
      try {
        socket = await open(target);
        await sendUntilDeadline(socket, batches);
      } catch {
        result.errors++;
      } finally {
        socket?.destroy();
      }
    }
  }

  async function sendUntilDeadline(socket: Socket, batches: BatchBuffers): Promise<void> {
    const responses = responseReader(socket);
    let head: Buffer = Buffer.alloc(0);
    let headFor = -1;
    for (;;) {
      const slot = nextSlot();
      const now = performance.now();
      if (slot > now) await sleep(slot - now);
      if (performance.now() >= deadline) return;
      const body = batches.next();
      const sentAt = performance.now();
      socket.cork();
      if (body.length !== headFor) {
        head = requestHead(target, options, body.length);
        headFor = body.length;
      }
      socket.write(head);
      socket.write(body);
      socket.uncork();
      const status = await responses.next();
      const doneAt = performance.now();
      if (doneAt > deadline) return;
      if (status >= 200 && status < 300) {
        result.ok++;
        result.latencies.push(doneAt - sentAt);
      } else {
        result.non2xx++;
      }
    }
  }

  await Promise.all(Array.from({ length: options.connections }, runConnection));
  return result;
}

function open(target: URL): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.hostname, port: Number(target.port), noDelay: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}

function requestHead(target: URL, options: RawLoadOptions, length: number): Buffer {
  const lines = [`POST ${options.path} HTTP/1.1`, `host: ${target.host}`];
  for (const [name, value] of Object.entries(options.headers)) lines.push(`${name}: ${value}`);
  lines.push(`content-length: ${length}`, '', '');
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

/** Reads keep-alive responses one after the other; each `next()` resolves with a status code. */
function responseReader(socket: Socket): { next(): Promise<number> } {
  let buffered: Buffer = Buffer.alloc(0);
  let waiting: { resolve: (status: number) => void; reject: (error: Error) => void } | null = null;

  function tryComplete(): void {
    if (!waiting) return;
    const headerEnd = buffered.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = buffered.toString('latin1', 0, headerEnd);
    const status = Number(head.slice(9, 12));
    const lengthAt = head.toLowerCase().indexOf(CONTENT_LENGTH);
    const length = lengthAt < 0 ? 0 : Number.parseInt(head.slice(lengthAt + CONTENT_LENGTH.length), 10);
    const total = headerEnd + HEADER_END.length + length;
    if (buffered.length < total) return;
    buffered = buffered.subarray(total);
    const { resolve } = waiting;
    waiting = null;
    resolve(status);
  }

  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    tryComplete();
  });
  const fail = (error: Error) => waiting?.reject(error);
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));

  return {
    next: () => new Promise<number>((resolve, reject) => {
      waiting = { resolve, reject };
      tryComplete();
    }),
  };
}
