import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createBatchBufferFactory } from './batch-body.ts';
import { rawLoad } from './raw-load.ts';

/** A server that checks every request the generator sends and answers 200, 503 or drops the connection. */
function recordingServer() {
  const seen = { requests: 0, ok: 0, unavailable: 0, dropped: 0, ids: new Set<string>(), badRequests: [] as string[] };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.requests++;
      const body = Buffer.concat(chunks);
      if (request.headers.authorization !== 'Bearer k' || Number(request.headers['content-length']) !== body.length) {
        seen.badRequests.push(JSON.stringify(request.headers));
      }
      const events = (JSON.parse(body.toString('utf8')) as { events: Array<{ event_id: string }> }).events;
      for (const event of events) seen.ids.add(event.event_id);
      if (seen.requests % 50 === 0) {
        seen.dropped++;
        request.socket.destroy();
        return;
      }
      const unavailable = seen.requests % 7 === 0;
      if (unavailable) seen.unavailable++;
      else seen.ok++;
      const answer = JSON.stringify({ accepted: events.length });
      response.writeHead(unavailable ? 503 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      response.end(answer);
    });
  });
  return { server, seen };
}

describe('rawLoad: the lean load generator of the ingest benchmarks', () => {
  const { server, seen } = recordingServer();
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('sends well-formed requests with fresh ids, counts 2xx, non-2xx and dropped connections, and reconnects', async () => {
    const result = await rawLoad({
      url, path: '/v1/batch', headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      seconds: 1, connections: 4, batches: createBatchBufferFactory(100),
    });
    assert.deepEqual(seen.badRequests, []);
    assert.ok(seen.requests > 100, `only ${seen.requests} requests in a second`);
    // Every event of every request had its own id.
    assert.equal(seen.ids.size, seen.requests * 100);
    // Answers that arrived after the deadline are not counted, so the server may have answered a few more.
    assert.ok(result.ok <= seen.ok && result.ok >= seen.ok - 4, `ok ${result.ok} vs server ${seen.ok}`);
    assert.ok(result.non2xx <= seen.unavailable && result.non2xx >= seen.unavailable - 4);
    assert.ok(seen.dropped > 0 && result.errors >= seen.dropped - 4 && result.errors <= seen.dropped, `errors ${result.errors} vs dropped ${seen.dropped}`);
    assert.equal(result.latencies.length, result.ok);
  });

  test('with overallRate it never sends more than the rate allows', async () => {
    const before = seen.requests;
    const result = await rawLoad({
      url, path: '/v1/batch', headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      seconds: 1, connections: 8, overallRate: 40, batches: createBatchBufferFactory(10),
    });
    const sent = seen.requests - before;
    assert.ok(sent <= 41, `${sent} requests at 40/s in 1 s`);
    assert.ok(result.ok + result.non2xx <= sent);
  });
});
