// The access report in a real browser: Debian's Chromium driven by playwright-core (never its own
// browser download). Run with `npm run test:browser`; `npm test` does not need Chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { runReport } from '../src/baton/review/run-report.js';
import { fixturePath } from '../test/support/c1z-fixtures.js';
import { FIRST, SECOND, writeTenantSync } from '../test/support/review-tenant.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Every wait is bounded: a page that never gets ready fails the test instead of hanging it.
const WAIT_MS = 15_000;

describe('access report in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-report-browser-'));
  const file = join(dir, 'sync.c1z');
  const out = join(dir, 'access-report.html');
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  before(async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
    await writeTenantSync(file, FIRST, { tmpDir: dir, at: new Date('2026-01-10T10:00:00Z') });
    await writeTenantSync(file, SECOND, { tmpDir: dir, at: new Date('2026-01-11T10:00:00Z') });
    await runReport({
      file,
      out,
      product: 'Acme',
      generator: 'baton-acme 0.0.0',
      command: 'baton-acme',
      tmpDir: dir,
    });
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      timeout: WAIT_MS,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(WAIT_MS);
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    context.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
    await page.locator('html[data-ready="1"]').waitFor({ state: 'attached' });
  });

  after(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('opens from a file:// URL with no console error and no request but the page itself', () => {
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(requests, [pathToFileURL(out).href]);
  });

  test('the privileged section lists the holders of the Company Supervisor role', async () => {
    const role = page.locator('#privileged details', { hasText: 'Company Supervisor' });
    assert.equal(await role.count(), 1);
    assert.match((await role.locator('summary').textContent()) ?? '', /Company Supervisor\s+2 holders/);
    assert.deepEqual(await role.locator('li').allTextContents(), ['Ann Admin', 'Gina Green']);
    // Groups with their supervisors, in the same section.
    const row = page.locator('#group-privileged-table tbody tr', { hasText: 'Network Ops' });
    assert.match((await row.textContent()) ?? '', /Gina Green/);
  });

  test('the filter box narrows the groups table', async () => {
    const rows = page.locator('#groups-table tbody tr');
    assert.equal(await rows.count(), 4);
    await page.locator('#groups-table-filter').fill('net');
    await page.locator('#groups-table .pager-status', { hasText: 'of 1 (filtered from 4)' }).waitFor();
    assert.deepEqual(await rows.locator('th').allTextContents(), ['Network Ops']);
    assert.equal(
      await page.locator('#groups-table .pager-status').textContent(),
      'Rows 1–1 of 1 (filtered from 4)',
    );
    // Opening the member count lists the members.
    await rows.locator('summary').first().click();
    assert.match((await rows.locator('.members').textContent()) ?? '', /Carol Chen.*Dan Dormant/);
    await page.locator('#groups-table-filter').fill('');
    await page.locator('#groups-table .pager-status', { hasText: 'Rows 1–4 of 4' }).waitFor();
    assert.equal(await rows.count(), 4);
  });

  test('risks and changes are shown', async () => {
    assert.match((await page.locator('#risk-inactive').textContent()) ?? '', /Dan Dormant/);
    assert.match(
      (await page.locator('#changes').textContent()) ?? '',
      /Company Supervisor Role.*Gina Green/s,
    );
  });

  test('the report of a Go-written file opens without errors and lists its groups', async () => {
    const goOut = join(dir, 'go-report.html');
    await runReport({
      file: fixturePath('go-sdk-demo-expanded.c1z'),
      out: goOut,
      product: 'Demo',
      generator: 'baton-demo 0.0.0',
      command: 'baton-demo',
      tmpDir: dir,
    });
    const goPage = await context.newPage();
    const errors: string[] = [];
    goPage.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    goPage.on('pageerror', (e) => errors.push(e.message));
    await goPage.goto(pathToFileURL(goOut).href, { waitUntil: 'load' });
    await goPage.locator('html[data-ready="1"]').waitFor({ state: 'attached', timeout: WAIT_MS });
    assert.equal(await goPage.locator('#groups-table .pager-status').textContent(), 'Rows 1–21 of 21');
    assert.deepEqual(errors, []);
    await goPage.close();
  });

  test('a full-page screenshot is written under the test directory', async () => {
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000, 'screenshot is suspiciously small');
    if (process.env.REPORT_SCREENSHOT_COPY) copyFileSync(shot, process.env.REPORT_SCREENSHOT_COPY);
  });
});
