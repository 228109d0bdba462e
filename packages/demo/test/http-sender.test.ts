import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { DemoSendError, generateTraffic, sendOverHttp } from '../src/index.ts';

const KEYS = { 'support-web': 'key_support', 'coding-ide': 'key_coding' } as const;

/** A stand-in for /v1/batch that answers by a script, to test the sender's own behaviour (retries, failure, memory). */
async function fakeServer(answer: (key: string, events: number, call: number) => { status: number; delayMs?: number; headers?: Record<string, string> }) {
  let calls = 0;
  let open = 0;
  let maxOpen = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    open++;
    maxOpen = Math.max(maxOpen, open);
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const { events } = JSON.parse(Buffer.concat(chunks).toString()) as { events: unknown[] };
      const a = answer(request.headers.authorization!.slice('Bearer '.length), events.length, ++calls);
      setTimeout(() => {
        response.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
        response.end(a.status === 200 ? JSON.stringify({ accepted: events.length, duplicates: 0, rejected: [] }) : '{"error":{"code":"X"}}');
        open--;
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, stats: () => ({ calls, open, maxOpen }), close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

test('a 429 with Retry-After is retried, and every event is counted once', { timeout: 30_000 }, async () => {
  const fake = await fakeServer((_key, _n, call) => (call === 2 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
  try {
    const result = await sendOverHttp(generateTraffic({ events: 600, seed: 1 }).records, { url: fake.url, writeKeys: KEYS }, { batchSize: 100, concurrency: 2 });
    assert.equal(result.sent, 600);
    assert.equal(result.accepted, 600);
    assert.equal(result.retries, 1);
    assert.equal(result.requests, fake.stats().calls);
  } finally {
    await fake.close();
  }
});

test('at most `concurrency` requests are in flight', { timeout: 30_000 }, async () => {
  const fake = await fakeServer(() => ({ status: 200, delayMs: 20 }));
  try {
    await sendOverHttp(generateTraffic({ events: 2000, seed: 2 }).records, { url: fake.url, writeKeys: KEYS }, { batchSize: 50, concurrency: 3 });
    assert.equal(fake.stats().maxOpen, 3);
  } finally {
    await fake.close();
  }
});

test('a refused batch stops the run, but only after the requests already in flight have been answered', { timeout: 30_000 }, async () => {
  const fake = await fakeServer((key) => (key === KEYS['coding-ide'] ? { status: 401 } : { status: 200, delayMs: 300 }));
  try {
    await assert.rejects(
      sendOverHttp(generateTraffic({ events: 400, seed: 3 }).records, { url: fake.url, writeKeys: KEYS }, { batchSize: 10, concurrency: 4 }),
      (error: unknown) => error instanceof DemoSendError && error.status === 401,
    );
    assert.equal(fake.stats().open, 0, 'nothing left running behind the caller');
  } finally {
    await fake.close();
  }
});
