import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { generateTraffic } from '../src/index.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Streams with bounded memory: what the generator holds (sessions in progress, retry queue,
 * prompt echo rings, one byte per user) does not grow with the number of events produced, so
 * heap use after 30k and after 150k events is about the same.
 */
test('generating 150k events holds no more memory than generating 30k', () => {
  const traffic = generateTraffic({ events: 150_000, seed: 5 });
  let n = 0;
  let early = 0;
  let bytes = 0;
  for (const record of traffic.records) {
    bytes += JSON.stringify(record.event).length;
    if (++n === 30_000) early = heapAfterGc();
  }
  const late = heapAfterGc();
  assert.equal(n, 150_000);
  assert.ok(bytes > 100 * 1024 * 1024, `${bytes} bytes of events went through`);
  assert.ok(late - early < 8 * 1024 * 1024, `heap grew by ${((late - early) / 1048576).toFixed(1)} MiB between 30k and 150k events`);
});
