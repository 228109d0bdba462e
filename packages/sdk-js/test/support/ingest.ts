/**
 * Test utilities: the real ingest server as a child process, and an HTTP front that proxies to it,
 * records what the SDK sent, injects faults (503 / 429 / lost acknowledgements / resets) and serves
 * static files (the browser tests' page and the built SDK, same-origin with /v1/*).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ADMIN_TOKEN, WRITE_KEY } from '../../../../services/ingest/test/helpers.ts';
import { freePort, startServerProcess, stopServerProcess, type ServerProcess } from '../../../../services/ingest/test/server-process.ts';

export { WRITE_KEY };

export interface StoredEvent {
  event_id: string;
  type: string;
  source: string;
  sent_at: string | null;
  event: Record<string, unknown>;
}

export interface Ingest {
  url: string;
  server: ServerProcess;
  events(): Promise<StoredEvent[]>;
  stop(): Promise<void>;
}

export async function startIngest(env: Record<string, string> = {}): Promise<Ingest> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-sdk-js-'));
  const server = await startServerProcess(dir, await freePort(), env);
  return {
    url: server.url,
    server,
    async events() {
      const response = await fetch(`${server.url}/v1/events?limit=1000`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      return ((await response.json()) as { events: StoredEvent[] }).events;
    },
    async stop() {
      await stopServerProcess(server);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** What the SDK sent through the front. */
export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  /** Bytes on the wire (compressed when gzip). */
  bytes: number;
  /** Decoded JSON body, when it parsed. */
  body?: { sent_at?: string; events: Array<Record<string, unknown>> };
  /** The status the front answered with. */
  status: number;
  at: number;
}

/**
 * - `status`: answer with this status (and Retry-After) without forwarding.
 * - `lose-ack`: forward (the server stores the events), then answer 503 as if the answer was lost.
 * - `reset`: destroy the connection without an answer.
 */
export type Fault = { kind: 'status'; status: number; retryAfter?: string } | { kind: 'lose-ack' } | { kind: 'reset' };

export interface Front {
  url: string;
  requests: RecordedRequest[];
  /** Faults for the next /v1/* requests, in order. */
  faults: Fault[];
  /** While set, every /v1/* request gets this fault. */
  down?: Fault | undefined;
  /** Static files by path. */
  files: Map<string, { type: string; body: string | Buffer }>;
  close(): Promise<void>;
}

export async function startFront(upstream: string): Promise<Front> {
  const front: Front = { url: '', requests: [], faults: [], files: new Map(), close: async () => {} };
  const server: Server = createServer((request, response) => {
    void handle(front, upstream, request, response).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  front.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  front.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return front;
}

async function handle(front: Front, upstream: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const path = request.url ?? '/';
  const file = front.files.get(path.split('?')[0]!);
  if (file) {
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
    return;
  }
  if (!path.startsWith('/v1/')) {
    response.writeHead(404).end();
    return;
  }
  const recorded: RecordedRequest = { path, headers: request.headers, bytes: raw.length, status: 0, at: Date.now() };
  try {
    const text = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
    recorded.body = JSON.parse(text) as NonNullable<RecordedRequest['body']>;
  } catch {
    // not JSON: recorded without a body
  }
  front.requests.push(recorded);
  const fault = front.down ?? front.faults.shift();
  if (fault?.kind === 'reset') {
    request.socket.destroy();
    return;
  }
  if (fault?.kind === 'status') {
    recorded.status = fault.status;
    response.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.retryAfter !== undefined && { 'retry-after': fault.retryAfter }) });
    response.end(JSON.stringify({ error: { code: 'TEST_FAULT', message: `injected ${fault.status}` } }));
    return;
  }
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'content-type', 'content-encoding']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const forwarded = await fetch(upstream + path, { method: request.method ?? 'GET', headers, ...(raw.length > 0 && { body: raw }) });
  const answer = Buffer.from(await forwarded.arrayBuffer());
  if (fault?.kind === 'lose-ack') {
    recorded.status = 503;
    response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' }).end('{"error":{"code":"TEST_FAULT","message":"ack lost"}}');
    return;
  }
  recorded.status = forwarded.status;
  const retryAfter = forwarded.headers.get('retry-after');
  response.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/json', ...(retryAfter && { 'retry-after': retryAfter }) });
  response.end(answer);
}

/** Event ids of all events the front saw in requests to `pathPrefix`. */
export function sentIds(front: Front, pathPrefix = '/v1/'): string[] {
  return front.requests.filter((r) => r.path.startsWith(pathPrefix)).flatMap((r) => (r.body?.events ?? []).map((e) => String(e.event_id)));
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
