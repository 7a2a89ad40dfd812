/**
 * Swagger UI in a real browser (Debian chromium driven by playwright-core): the page loads under the
 * service's CSP with no console errors, lists every operation of openapi.yaml, and "Try it out" on
 * GET /api/v1/tasks with a key entered through "Authorize" answers 200.
 * Skips (with a message) only when /usr/bin/chromium is absent; CI installs it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, type Harness, startHarness } from '../helpers/api-harness.js';
import { specOperations } from '../helpers/spec.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`[swagger-ui browser test] skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);

describe.skipIf(!haveChromium)('Swagger UI in chromium', () => {
  let h: Harness;
  let server: Server;
  let browser: Browser;
  let base: string;
  let wsRoot: string;

  beforeAll(async () => {
    wsRoot = mkdtempSync(path.join(os.tmpdir(), 'tva-docs-ws-'));
    const workspace = path.join(wsRoot, 'site');
    // "Try it out" sends no project_id: the default workspace answers.
    h = await startHarness({ MCP_POOL_SIZE: '1', DEFAULT_WORKSPACE_PATH: workspace });
    await h.call('create_task', { workspace_path: workspace, title: 'Shown in Swagger UI' });
    await h.runtime.services.resolver.refresh();
    server = await new Promise<Server>((resolve) => {
      const s = createServer(h.app).listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await h?.close();
    rmSync(wsRoot, { recursive: true, force: true });
  });

  it('loads without console errors, lists every operation, and Try it out on GET /api/v1/tasks answers 200', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
    const offOrigin: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(base) && !req.url().startsWith('data:')) offOrigin.push(req.url());
    });

    await page.goto(`${base}/api/docs`, { waitUntil: 'load' });
    await page.waitForSelector('.opblock', { timeout: 20_000 });

    // Every operation of the spec is listed (an operation with two tags shows up under both).
    const listed = await page.$$eval('.opblock', (blocks) =>
      blocks.map((b) => {
        const method = b.querySelector('.opblock-summary-method')?.textContent?.trim().toLowerCase();
        const p = b.querySelector('.opblock-summary-path')?.getAttribute('data-path');
        return `${method} ${p}`;
      }),
    );
    const expected = specOperations().map((o) => `${o.method} ${o.path}`);
    expect(new Set(listed)).toEqual(new Set(expected));

    // Authorize with the API key (the spec's ApiKeyAuth scheme).
    await page.click('.auth-wrapper .authorize');
    await page.fill('.modal-ux input[type="text"], .modal-ux input:not([type])', API_KEY);
    await page.click('.modal-ux .auth-btn-wrapper button[type="submit"]');
    await page.click('.modal-ux .btn-done');

    // Try it out: GET /api/v1/tasks.
    const op = page.locator('#operations-Tasks-listTasks');
    await op.locator('.opblock-summary').first().click();
    await op.locator('.try-out__btn').click();
    const response = page.waitForResponse((r) => r.url().startsWith(`${base}/api/v1/tasks`) && r.request().method() === 'GET');
    await op.locator('button.execute').click();
    const res = await response;
    expect(res.status()).toBe(200);
    expect(res.request().headers()['x-api-key']).toBe(API_KEY);
    await expect
      .poll(async () => (await op.locator('.live-responses-table tbody .response-col_status').first().textContent())?.trim(), { timeout: 10_000 })
      .toBe('200');
    expect(await op.locator('.live-responses-table').textContent()).toContain('Shown in Swagger UI');

    expect(problems).toEqual([]);
    expect(offOrigin).toEqual([]);
    await page.close();
  });
});
