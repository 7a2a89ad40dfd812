/**
 * What the Task Viewer's browser tests run against: the built web app (built here when missing or
 * older than its sources), the real service as a child process (`node dist/src/main.js`, as
 * `npm start` runs it) on a temporary store seeded through real MCP tool calls, a separate
 * task-mcp-compatible stdio process on the same files (for writes made around the service), and
 * Debian's Chromium through playwright-core. `close()` ends all of them, also after a failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { type Child, projectRoot, startServiceProcess } from '../../bench/procs.js';
import { type Seeded, seedProject } from '../helpers/seed.js';
import { type Session, ok, openStdio } from '../helpers/taskmcp-harness.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const ROOT = projectRoot();
export const WEB_DIR = path.join(ROOT, 'clients', 'task-viewer-web');
export const CLIENT_DIR = path.join(ROOT, 'clients', 'task-viewer-client');
/** Screenshots for a reviewer (git-ignored). */
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'web');
export const API_KEY = 'web-test-key-0123456789';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the client package and the web app (`npm run build:web`) unless dist/ is newer than every source. */
export function ensureWebBuilt(): void {
  const index = path.join(WEB_DIR, 'dist', 'index.html');
  const sources = Math.max(newestMtime(path.join(WEB_DIR, 'src')), newestMtime(path.join(CLIENT_DIR, 'src')), statSync(path.join(ROOT, 'openapi.yaml')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  // vitest sets NODE_ENV=test, and Vite keeps a NODE_ENV it finds: without this the app would be
  // built with React's development code.
  const run = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000, env: { ...process.env, NODE_ENV: 'production' } });
  if (run.status !== 0) throw new Error(`npm run build:web failed:\n${run.stdout}${run.stderr}`);
}

export interface Extra {
  /** A task that waits for `implement` (so design <- implement <- notes is a dependency chain). */
  notes: number;
}

export interface Viewer {
  url: string;
  tmp: string;
  home: string;
  seeded: Seeded;
  extra: Extra;
  browser: Browser;
  service: Child;
  /** A task-mcp-compatible MCP server process of its own on the same store (writes around the service). */
  mcp: Session;
  /** Calls a tool on that process. */
  call<T = any>(tool: string, args: Record<string, unknown>): Promise<T>;
  /** The API as a test sees it (fetch with the key), for expectations independent of the page. */
  api<T = any>(pathAndQuery: string): Promise<T>;
  newContext(options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function startViewer(): Promise<Viewer> {
  ensureWebBuilt();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tva-web-e2e-'));
  const home = path.join(tmp, 'store');
  const closers: Array<() => Promise<void> | void> = [() => rmSync(tmp, { recursive: true, force: true })];
  const close = async () => {
    for (const fn of closers.reverse()) {
      try {
        await fn();
      } catch {
        // keep closing the rest
      }
    }
    closers.length = 0;
  };
  try {
    const mcp = await openStdio(home);
    closers.push(() => mcp.close());
    const call = <T>(tool: string, args: Record<string, unknown>) => ok<T>(mcp.client, tool, args);
    const seeded = await seedProject(call, tmp);
    const notes = (await call<{ id: number }>('create_task', { workspace_path: seeded.workspace, title: 'Release notes', depends_on: [seeded.tasks.implement], tags: 'docs' })).id;

    const service = await startServiceProcess(
      {
        TASK_MCP_HOME: home,
        API_KEYS: API_KEY,
        API_KEY_FILE: path.join(tmp, 'api-key'),
        ALLOWED_WORKSPACE_ROOTS: tmp,
        MCP_POOL_SIZE: '1',
        LOG_LEVEL: 'warn',
        VALIDATE_RESPONSES: 'true',
        // A page makes many small reads; the limiter has its own tests.
        RATE_LIMIT_PER_MINUTE: '1000000',
        RATE_LIMIT_PER_HOUR: '1000000',
      },
      tmp,
    );
    closers.push(() => service.stop());
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    closers.push(() => browser.close());
    mkdirSync(ARTIFACTS, { recursive: true });
    return {
      url: service.url,
      tmp,
      home,
      seeded,
      extra: { notes },
      browser,
      service,
      mcp,
      call,
      async api<T>(pathAndQuery: string): Promise<T> {
        const res = await fetch(`${service.url}${pathAndQuery}`, { headers: { 'X-API-Key': API_KEY } });
        if (!res.ok) throw new Error(`${pathAndQuery}: ${res.status} ${await res.text()}`);
        return (await res.json()) as T;
      },
      newContext: (options) => browser.newContext({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true, ...options }),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Problems a page reports: uncaught errors and console errors, apart from failed loads the test caused on purpose. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // A refused request (401 on a wrong key, 409 on a refused move) is logged by Chromium as a failed load.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`);
  });
  return problems;
}

/** axe on the page as it is now: the serious and critical violations (none are allowed). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')})`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
}

/**
 * Page-side code is passed as text: the root tsconfig (shared with the server) has no DOM types, and
 * these few expressions do not justify adding them to every other program.
 */
export const inPage = {
  hash: 'location.hash',
  storedKey: "sessionStorage.getItem('task-viewer.api-key')",
  activeId: 'document.activeElement && document.activeElement.id',
  activeOutline: 'getComputedStyle(document.activeElement).outlineStyle',
  bodyBackground: 'getComputedStyle(document.body).backgroundColor',
  theme: "document.documentElement.dataset.theme || 'system'",
  overflowX: 'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  setMarker: "window.__viewerMarker = 'same page'",
  marker: 'window.__viewerMarker',
  /** An init script that puts the key where the sign-in form would (for contexts that skip the form). */
  rememberKey: (key: string) => `sessionStorage.setItem('task-viewer.api-key', ${JSON.stringify(key)})`,
};

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, url: string, key = API_KEY): Promise<void> {
  await page.goto(`${url}/`);
  await page.fill('#api-key', key);
  await page.click('form button[type="submit"]');
}
