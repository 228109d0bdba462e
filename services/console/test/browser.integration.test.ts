import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { SnapshotManifest } from '@sluice/export';
import { ADMIN_TOKEN, createConsoleApp, seedSnapshot, seedWarehouse, type ConsoleTestApp } from './helpers.ts';

/** The browser globals the page.evaluate callbacks touch (the tsconfig has no DOM lib). */
interface Win {
  location: { hash: string };
  document: { documentElement: { scrollWidth: number }; activeElement: { textContent: string | null; tagName: string } | null };
  innerWidth: number;
  sessionStorage: { getItem(key: string): string | null };
  navigator: { clipboard: { readText(): Promise<string> } };
  getComputedStyle(element: unknown): { backgroundColor: string };
}

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) to run the console browser tests`;
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/console/', import.meta.url));
const DESKTOP = { width: 1280, height: 800 };
const NARROW = { width: 390, height: 800 };

// Each test carries the skip (not the suite), so a machine without Chromium reports them as skipped.
const it = (name: string, fn: (ctx: TestContext) => Promise<void>) => test(name, { skip }, fn);

describe('steward console in Chromium (real server, seeded data)', () => {
  let t: ConsoleTestApp;
  let url: string;
  let browser: Browser;
  let manifest: SnapshotManifest;

  before(async () => {
    if (skip) return;
    t = await createConsoleApp();
    await seedWarehouse(t, Date.now());
    manifest = (await seedSnapshot(t)).manifest;
    url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    await mkdir(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A fresh tab; any console error or uncaught exception fails the test. */
  async function openPage(ctx: TestContext, viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ viewport });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const errors: string[] = [];
    page.on('console', (message) => { if (message.type() === 'error') errors.push(`console: ${message.text()}`); });
    page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
    ctx.after(async () => {
      await context.close();
      assert.deepEqual(errors, [], 'no browser console errors');
    });
    return page;
  }

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${url}/console`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
  const goto = async (page: Page, hash: string, heading: string | RegExp) => {
    await page.evaluate((h) => { (globalThis as unknown as Win).location.hash = h; }, hash);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };
  const noHorizontalOverflow = async (page: Page, where: string) => {
    const [scroll, width] = await page.evaluate(() => {
      const w = globalThis as unknown as Win;
      return [w.document.documentElement.scrollWidth, w.innerWidth];
    });
    assert.ok(scroll <= width + 1, `${where}: the page scrolls sideways (${scroll} > ${width})`);
  };

  it('sign-in takes the admin token; the overview draws a real chart with the counts', async (ctx) => {
    const page = await openPage(ctx);
    await page.goto(`${url}/console`);
    assert.equal(await page.locator('#top-bar').isHidden(), true, 'no navigation before sign-in');
    await signIn(page);
    assert.equal(await page.evaluate(() => (globalThis as unknown as Win).sessionStorage.getItem('sluice.adminToken')), ADMIN_TOKEN);
    await page.locator('.chart canvas').first().waitFor();
    assert.equal(await page.locator('.stat', { hasText: 'Accepted · 24 h' }).locator('.stat-value').textContent(), '7');
    assert.equal(await page.locator('.stat', { hasText: 'Rejected · 24 h' }).locator('.stat-value').textContent(), '3');
    await page.getByRole('cell', { name: 'SLUICE_ERR_EVENT_INVALID' }).waitFor();
    await page.getByLabel('Group by').selectOption('source');
    await page.getByRole('rowheader', { name: 'coding-ide', exact: true }).waitFor();
    await shot(page, 'overview');
  });

  it('every page loads with seeded data at 1280×800; the session timeline nests signals under their generation', async (ctx) => {
    const page = await openPage(ctx);
    await signIn(page);
    await goto(page, '#/events', 'Events');
    await page.getByText('8 events (the newest').waitFor();
    await page.getByLabel('Type').selectOption('generation');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => (globalThis as unknown as Win).location.hash === '#/events?type=generation');
    await page.getByText('5 events').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Load more' }).isHidden(), true, 'nothing more to load');
    await shot(page, 'events');
    await page.getByRole('link', { name: 'sess-a' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Session sess-a' }).waitFor();
    const nested = page.locator('.timeline.nested .timeline-item');
    await nested.nth(1).waitFor();
    assert.equal(await nested.count(), 2, 'the feedback and the outcome sit under the generation');
    assert.match((await nested.last().textContent())!, /resolved/);
    await shot(page, 'session');
    await goto(page, '#/quarantine', 'Quarantine');
    await page.getByRole('cell', { name: 'SLUICE_ERR_EVENT_TYPE_UNKNOWN' }).waitFor();
    await shot(page, 'quarantine');
    await goto(page, '#/rulesets', 'Rulesets');
    await page.getByRole('link', { name: 'support-test' }).waitFor();
    await shot(page, 'rulesets');
    await goto(page, '#/snapshots', 'Snapshots');
    await page.getByRole('link', { name: manifest.id }).waitFor();
    await shot(page, 'snapshots');
  });

  it('in a narrow window (390 px) every page fits without sideways scrolling', async (ctx) => {
    const page = await openPage(ctx, NARROW);
    await signIn(page);
    await page.locator('.chart canvas').first().waitFor();
    await noHorizontalOverflow(page, 'overview');
    await shot(page, 'overview-narrow');
    const pages = [
      ['#/events', 'Events', 'tbody tr'], ['#/quarantine', 'Quarantine', 'tbody tr'], ['#/rulesets', 'Rulesets', 'tbody tr'],
      ['#/rulesets/support-test', 'Ruleset support-test', '#ruleset-status.ok'], ['#/snapshots', 'Snapshots', 'tbody tr'],
      [`#/snapshots/${manifest.id}`, `Snapshot ${manifest.id}`, 'figure code'],
    ] as const;
    for (const [hash, heading, loaded] of pages) {
      await goto(page, hash, heading);
      await page.locator(loaded).first().waitFor();
      await noHorizontalOverflow(page, hash);
    }
    await shot(page, 'snapshot-narrow');
  });

  it('keyboard only: skip link, navigation, forms', async (ctx) => {
    const page = await openPage(ctx);
    await signIn(page);
    // A fresh load: focus starts at the top of the document.
    await page.reload();
    await page.locator('.chart canvas').first().waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (globalThis as unknown as Win).document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (globalThis as unknown as Win).document.activeElement?.textContent), 'Overview');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor();
    // Focus moves to the new page's heading once its data has loaded.
    await page.waitForFunction(() => (globalThis as unknown as Win).document.activeElement?.tagName === 'H1');
    await page.getByLabel('Session id').focus();
    await page.keyboard.type('sess-b');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (globalThis as unknown as Win).location.hash === '#/events?session_id=sess-b');
    await page.getByText('1 event').waitFor();
  });

  it('editing a ruleset into an invalid state shows the error inline at the offending line; a valid edit saves a version', async (ctx) => {
    const page = await openPage(ctx);
    await signIn(page);
    await goto(page, '#/rulesets/support-test', 'Ruleset support-test');
    const status = page.locator('#ruleset-status');
    await status.getByText('Valid').waitFor();
    const editor = page.getByRole('textbox', { name: 'Ruleset (YAML or JSON)' });
    const original = await editor.inputValue();
    await editor.fill(original.replace('default_action: mask', 'default_action: maskk'));
    const inline = page.locator('.inline-issue[data-line="8"]');
    await inline.waitFor();
    assert.match((await inline.textContent())!, /pii\.default_action: Invalid option/);
    assert.equal(await page.locator('.gutter-line').nth(7).getAttribute('class'), 'gutter-line has-issue');
    assert.equal(await editor.getAttribute('aria-invalid'), 'true');
    await status.getByText('1 problem').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Run dry-run' }).isDisabled(), true);
    await shot(page, 'ruleset-invalid');
    await page.getByRole('button', { name: 'Line 8' }).click();
    const selected = await editor.evaluate((el) => {
      const area = el as unknown as { value: string; selectionStart: number; selectionEnd: number };
      return area.value.slice(area.selectionStart, area.selectionEnd);
    });
    assert.equal(selected, '  default_action: maskk');

    await editor.fill(original.replace('eval_fraction: 0.5', 'eval_fraction: 0.25'));
    await status.getByText('Valid').waitFor();
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await status.getByText('(this version)').waitFor();
    assert.equal(await page.getByLabel('Version').locator('option').count(), 2);
  });

  it('a dry-run shows the funnel, label distribution, dedup clusters and redactions highlighted by type', async (ctx) => {
    const page = await openPage(ctx);
    await signIn(page);
    await goto(page, '#/rulesets/support-test', 'Ruleset support-test');
    await page.locator('#ruleset-status').getByText('Valid').waitFor();
    await page.getByLabel('Newest generations').fill('100');
    await page.getByRole('button', { name: 'Run dry-run' }).click();
    await page.getByRole('heading', { level: 2, name: /Dry-run of support-test/ }).waitFor();
    const email = page.locator('.after mark.pii[data-pii="EMAIL"], section[aria-label="After"] mark.pii[data-pii="EMAIL"]').first();
    await email.waitFor();
    assert.match((await email.textContent())!, /^<EMAIL_[0-9a-f]{8}>$/);
    const phone = page.locator('section[aria-label="After"] mark.pii[data-pii="PHONE"]').first();
    const colour = (l: typeof email) => l.evaluate((el) => (globalThis as unknown as Win).getComputedStyle(el).backgroundColor);
    assert.notEqual(await colour(email), await colour(phone), 'each PII type has its own colour');
    await page.getByRole('heading', { name: 'Dedup: 1 removed in 1 cluster' }).waitFor();
    await page.getByRole('rowheader', { name: 'generations scanned' }).waitFor();
    await page.getByRole('rowheader', { name: 'reward positive' }).waitFor();
    await shot(page, 'dry-run');
  });

  it('a snapshot page lists its files with sizes and hashes, the pull command and a load_dataset snippet', async (ctx) => {
    const page = await openPage(ctx);
    await signIn(page);
    await goto(page, '#/snapshots', 'Snapshots');
    await page.getByRole('link', { name: manifest.id }).click();
    await page.getByRole('heading', { level: 1, name: `Snapshot ${manifest.id}` }).waitFor();
    for (const file of manifest.files) {
      const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: file.path, exact: true }) });
      assert.match((await row.textContent())!, new RegExp(file.sha256));
    }
    const pull = page.locator('figure', { hasText: 'sluice pull command' }).locator('code');
    assert.equal(await pull.textContent(), `SLUICE_READ_TOKEN=<read token> sluice pull support-bot@${manifest.id} --to ./support-bot --url ${url}`);
    assert.match((await page.locator('figure', { hasText: 'load_dataset snippet' }).locator('code').textContent())!, /sft = load_dataset\("\.\/support-bot", "sft"\)/);
    await page.getByRole('button', { name: 'Copy sluice pull command' }).click();
    await page.locator('#notice', { hasText: 'copied' }).waitFor();
    assert.equal(await page.evaluate(() => (globalThis as unknown as Win).navigator.clipboard.readText()), await pull.textContent());
    await shot(page, 'snapshot');
  });
});
