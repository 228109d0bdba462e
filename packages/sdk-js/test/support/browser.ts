/**
 * Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) on a test page that loads
 * the built SDK (dist/index.min.js) from the front, same-origin with /v1/* (the ingest server has no CORS).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { defaultOutDir } from '../../scripts/build.ts';
import type { Front } from './ingest.ts';

export const CHROMIUM = '/usr/bin/chromium';
/** `skip` option for browser suites: a visible reason when Chromium is missing. */
export const skipWithoutChromium: string | false = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;

const page = `<!doctype html>
<meta charset="utf-8">
<title>sluice sdk test page</title>
<script type="module">
  import { createClient } from '/sdk.js';
  const params = new URLSearchParams(location.search);
  window.deliveryErrors = [];
  window.sluice = createClient({
    endpoint: location.origin,
    writeKey: params.get('key'),
    onError: (e) => window.deliveryErrors.push({ kind: e.kind, message: e.message, count: e.events.length }),
    ...JSON.parse(params.get('options') ?? '{}'),
  });
  window.sluiceReady = true;
</script>`;

/** Serves the test page at /page.html, the minified SDK at /sdk.js and an empty /away.html. */
export function servePage(front: Front): void {
  front.files.set('/page.html', { type: 'text/html', body: page });
  front.files.set('/away.html', { type: 'text/html', body: '<!doctype html><title>away</title>' });
  front.files.set('/sdk.js', { type: 'text/javascript', body: readFileSync(join(defaultOutDir, 'index.min.js')) });
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Opens /page.html with these client options and waits until the SDK is loaded. */
  open(options?: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/** A fresh profile (own user-data-dir, so its own localStorage) per call. */
export async function launch(front: Front, writeKey: string): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'sluice-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const tab = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page: tab,
    async open(options = {}) {
      const query = new URLSearchParams({ key: writeKey, options: JSON.stringify(options) });
      await tab.goto(`${front.url}/page.html?${query}`);
      await tab.waitForFunction(() => (globalThis as { sluiceReady?: boolean }).sluiceReady === true);
    },
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
