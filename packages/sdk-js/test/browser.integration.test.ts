/**
 * The built SDK (dist/index.min.js) in headless Chromium against the real ingest server: fetch with
 * gzip, sendBeacon on page hide (split under the 64 KB quota), and localStorage persistence across
 * a reload while the server is unreachable.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { buildSdk } from '../scripts/build.ts';
import type { SluiceClient } from '../src/index.ts';
import { launch, servePage, skipWithoutChromium, type TestBrowser } from './support/browser.ts';
import { startFront, startIngest, waitFor, WRITE_KEY, type Front, type Ingest } from './support/ingest.ts';

interface PageGlobals {
  sluice: SluiceClient;
  deliveryErrors: Array<{ kind: string; message: string; count: number }>;
}

describe('browser (headless Chromium)', { skip: skipWithoutChromium }, () => {
  let ingest: Ingest;
  let front: Front;
  let browser: TestBrowser;
  before(async () => {
    await buildSdk();
    ingest = await startIngest();
  });
  after(() => ingest?.stop());
  beforeEach(async () => {
    front = await startFront(ingest.url);
    servePage(front);
    browser = await launch(front, WRITE_KEY);
  });
  afterEach(async () => {
    await browser.close();
    await front.close();
  });

  const storedCounts = async (ids: string[]): Promise<number[]> => {
    const counts = new Map(ids.map((id) => [id, 0]));
    for (const e of await ingest.events()) if (counts.has(e.event_id)) counts.set(e.event_id, counts.get(e.event_id)! + 1);
    return [...counts.values()];
  };
  const batchRequests = () => front.requests.filter((r) => r.path === '/v1/batch');
  const beaconRequests = () => front.requests.filter((r) => r.path.startsWith('/v1/beacon'));

  test('fetch path: batches gzip-compressed by CompressionStream, anonymous id kept, stored once', async () => {
    await browser.open({ flushAt: 50, flushIntervalMs: 60_000 });
    const ids = await browser.page.evaluate(async () => {
      const { sluice } = globalThis as unknown as PageGlobals;
      const ids = Array.from({ length: 30 }, (_, i) => sluice.track('step_viewed', { step: i, note: 'browser '.repeat(10) }));
      await sluice.flush();
      return ids;
    });
    assert.equal(batchRequests().length, 1);
    const [request] = batchRequests();
    assert.equal(request!.headers['content-encoding'], 'gzip');
    assert.equal(request!.status, 200);
    assert.deepEqual(await storedCounts(ids), ids.map(() => 1));
    const anonymousIds = new Set(request!.body!.events.map((e) => e.anonymous_id));
    assert.equal(anonymousIds.size, 1, 'one anonymous id for this browser');
    assert.match(String([...anonymousIds][0]), /^[0-9a-f-]{36}$/);
  });

  test('page hide: queued events leave by sendBeacon in requests under 64 KB; the next load resends what is unconfirmed, stored once', async (t) => {
    await browser.open({ flushAt: 1000, flushIntervalMs: 600_000, maxQueue: 5000, maxStoredEvents: 5000 });
    const ids = await browser.page.evaluate(() => {
      const { sluice } = globalThis as unknown as PageGlobals;
      return Array.from({ length: 150 }, (_, i) => sluice.track('paragraph_read', { i, text: `${i} `.padEnd(1000, 'lorem ipsum ') }));
    });
    assert.equal(front.requests.length, 0, 'nothing sent before the page is hidden');

    await browser.page.goto(`${front.url}/away.html`); // pagehide
    await waitFor(() => beaconRequests().length > 0 && beaconRequests().every((r) => r.status !== 0), 10_000, 'a beacon');
    for (const beacon of beaconRequests()) {
      assert.ok(beacon.bytes < 64 * 1024, `a beacon of ${beacon.bytes} bytes`);
      assert.match(String(beacon.headers['content-type']), /^text\/plain/);
      assert.equal(beacon.path, `/v1/beacon?key=${WRITE_KEY}`);
      assert.equal(beacon.status, 200);
    }
    const beaconed = beaconRequests().flatMap((r) => r.body!.events.map((e) => String(e.event_id)));
    t.diagnostic(`${beaconRequests().length} beacons (${beaconRequests().map((r) => r.bytes).join(', ')} bytes) carried ${beaconed.length} of ${ids.length} events`);
    assert.ok(beaconed.length > 0 && beaconed.length < ids.length, `${beaconed.length} of ${ids.length} events fit the beacon quota`);
    const afterUnload = await storedCounts(ids);
    assert.deepEqual(afterUnload.map((n, i) => (beaconed.includes(ids[i]!) ? n : 0)), afterUnload, 'only beaconed events stored so far');

    // The next load finds every unconfirmed event (refused by the quota, or beaconed without an answer) in localStorage.
    await browser.open({ flushAt: 1000, flushIntervalMs: 600_000 });
    await waitFor(async () => (await storedCounts(ids)).every((n) => n === 1), 10_000, 'every event stored');
    const resent = batchRequests().flatMap((r) => r.body!.events.map((e) => String(e.event_id)));
    assert.deepEqual(new Set(resent), new Set(ids), 'the stored events were resent by fetch');
    assert.deepEqual(await storedCounts(ids), ids.map(() => 1), 'beaconed and resent: stored once');
  });

  test('a hidden tab (visibilitychange) sends by beacon too, and nothing more once shown again', async () => {
    await browser.open({ flushAt: 1000, flushIntervalMs: 600_000 });
    const ids = await browser.page.evaluate(() => {
      const { sluice } = globalThis as unknown as PageGlobals;
      const ids = [sluice.track('a'), sluice.track('b')];
      const { document } = globalThis as unknown as { document: EventTarget };
      const setVisibility = (state: string): void => {
        Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      };
      setVisibility('hidden');
      setVisibility('visible');
      return ids;
    });
    await waitFor(async () => (await storedCounts(ids)).every((n) => n === 1), 10_000, 'beaconed events stored');
    assert.equal(beaconRequests().length, 1);
    assert.equal(batchRequests().length, 0);
    assert.deepEqual(await browser.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('sluice:q:'))), [], 'nothing left stored');
  });

  test('persistence: events unsent while the server is down survive a reload and are sent on the next load', async () => {
    front.down = { kind: 'status', status: 503, retryAfter: '0' };
    await browser.open({ flushAt: 1000, flushIntervalMs: 600_000, maxRetries: 1, retryBaseMs: 10 });
    const ids = await browser.page.evaluate(async () => {
      const { sluice } = globalThis as unknown as PageGlobals;
      const ids = Array.from({ length: 20 }, (_, i) => sluice.track('offline_edit', { i }));
      await sluice.flush(); // fails: the events go back to the queue
      return ids;
    });
    assert.deepEqual(await browser.page.evaluate(() => (globalThis as unknown as PageGlobals).deliveryErrors.map((e) => e.kind)), ['retry']);
    assert.equal(batchRequests().length, 2);

    front.down = undefined; // back up; the page still believes it is failing
    await browser.page.reload(); // pagehide while failing: stored, no beacon into an unreachable server
    assert.equal(beaconRequests().length, 0);
    await browser.page.waitForFunction(() => (globalThis as { sluiceReady?: boolean }).sluiceReady === true);
    await waitFor(async () => (await storedCounts(ids)).every((n) => n === 1), 10_000, 'the stored events delivered');
    assert.deepEqual(await browser.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('sluice:q:'))), [], 'storage cleared once delivered');
  });
});
