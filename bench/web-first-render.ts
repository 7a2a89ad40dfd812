/**
 * First render of the Task Viewer on a 10,000-task project, in headless Chromium against the real
 * service (`node dist/src/main.js`, serving the built app at `/`) on a store seeded with bench/seed.ts.
 *
 * Measured inside the page (performance.now(), from navigation start), so the driver's own latency
 * does not count:
 *   - cold: a fresh browser context (empty HTTP cache): HTML, scripts, /me, /projects and the first
 *     page of 100 tasks, until the first task row is in the DOM;
 *   - warm: a reload in the same context (scripts from the cache, the data fetched again);
 *   - jump: after the list is shown, scroll to row 9,000 and time until that row has its task (one
 *     page fetched for it, none of the 89 before);
 *   - scroll: 3 s of continuous scrolling through the list, frame times (requestAnimationFrame).
 * Target: first task list visible in < 1 s. Prints a table and writes bench/web-results.md.
 *
 *   npm run build && node dist/bench/web-first-render.js      (WEB_BENCH_RUNS=5 by default)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { type Child, projectRoot, startServiceProcess } from './procs.js';
import { seedStore } from './seed.js';
import { bundleReport } from './web-bundle.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const KEY = 'web-bench-key-0123456789';
const TASKS = Number(process.env.WEB_BENCH_TASKS ?? 10_000);
const RUNS = Number(process.env.WEB_BENCH_RUNS ?? 5);
const TARGET_MS = 1000;

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const ms = (n: number) => `${Math.round(n)} ms`;

/** Resolves with performance.now() at the moment the first task row exists (polled every frame). */
const FIRST_ROW = `new Promise((resolve) => {
  const check = () => document.querySelector('.grid-body [data-task-id]') ? resolve(performance.now()) : requestAnimationFrame(check);
  check();
})`;

const JUMP = (row: number) => `new Promise((resolve) => {
  const body = document.querySelector('.grid-body');
  const start = performance.now();
  body.scrollTop = ${row} * 44;
  const check = () => {
    const el = [...document.querySelectorAll('.grid-body [role="row"]')].find((r) => r.getAttribute('aria-rowindex') === '${row + 2}');
    el && el.hasAttribute('data-task-id') ? resolve(performance.now() - start) : requestAnimationFrame(check);
  };
  check();
})`;

const SCROLL = `new Promise((resolve) => {
  const body = document.querySelector('.grid-body');
  const frames = [];
  let last = performance.now();
  const end = last + 3000;
  const step = (now) => {
    frames.push(now - last);
    last = now;
    body.scrollTop += 600;
    if (body.scrollTop + body.clientHeight >= body.scrollHeight) body.scrollTop = 0;
    now < end ? requestAnimationFrame(step) : resolve(frames);
  };
  requestAnimationFrame(step);
})`;

export interface FirstRenderResult {
  tasks: number;
  runs: number;
  coldMs: number[];
  warmMs: number[];
  jumpMs: number[];
  frameMs: number[];
}

export async function measureFirstRender(): Promise<FirstRenderResult> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tva-web-bench-'));
  let service: Child | undefined;
  let browser: Browser | undefined;
  try {
    const home = path.join(tmp, 'store');
    const [project] = seedStore(home, path.join(tmp, 'ws'), [{ name: 'proj-10k', tasks: TASKS }]);
    service = await startServiceProcess({ TASK_MCP_HOME: home, API_KEYS: KEY, API_KEY_FILE: path.join(tmp, 'api-key'), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_PER_HOUR: '1000000' }, tmp);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const url = `${service.url}/#/p/${project!.projectId}/tasks`;
    // One unmeasured load: the service's first read of the project warms its SQLite pages and caches,
    // as any earlier use would have.
    const result: FirstRenderResult = { tasks: TASKS, runs: RUNS, coldMs: [], warmMs: [], jumpMs: [], frameMs: [] };
    for (let run = -1; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      await context.addInitScript(`sessionStorage.setItem('task-viewer.api-key', ${JSON.stringify(KEY)})`);
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'commit' });
      const cold = (await page.evaluate(FIRST_ROW)) as number;
      await page.reload({ waitUntil: 'commit' });
      const warm = (await page.evaluate(FIRST_ROW)) as number;
      if (run >= 0) {
        result.coldMs.push(cold);
        result.warmMs.push(warm);
        result.jumpMs.push((await page.evaluate(JUMP(Math.min(9000, TASKS - 20)))) as number);
        if (run === 0) result.frameMs = (await page.evaluate(SCROLL)) as number[];
      }
      await context.close();
    }
    return result;
  } finally {
    await browser?.close();
    await service?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function formatFirstRender(r: FirstRenderResult): string {
  const long = r.frameMs.filter((f) => f > 50).length;
  const bundle = bundleReport();
  return [
    `Task Viewer first render, ${r.tasks.toLocaleString('en')} tasks, ${r.runs} runs, headless Chromium on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`,
    '',
    '| measure | p50 | max | target |',
    '|---|---|---|---|',
    `| first task row, cold cache | ${ms(pct(r.coldMs, 50))} | ${ms(Math.max(...r.coldMs))} | < ${TARGET_MS} ms: ${pct(r.coldMs, 50) < TARGET_MS ? 'met' : 'NOT met'} |`,
    `| first task row, reload (warm cache) | ${ms(pct(r.warmMs, 50))} | ${ms(Math.max(...r.warmMs))} | |`,
    `| jump to row 9,000 until it has its task | ${ms(pct(r.jumpMs, 50))} | ${ms(Math.max(...r.jumpMs))} | |`,
    `| frame time while scrolling 3 s (${r.frameMs.length} frames, ${long} over 50 ms) | ${ms(pct(r.frameMs, 50))} | p95 ${ms(pct(r.frameMs, 95))} | |`,
    '',
    `First-screen JS: ${bundle.firstScreenJsGzipKb} KB gzip (budget 200 KB); all JS ${bundle.totalJsGzipKb} KB gzip.`,
  ].join('\n');
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]).replace(/\.ts$/, '.js').endsWith(path.join('bench', 'web-first-render.js'));
if (invokedDirectly) {
  const result = await measureFirstRender();
  const text = formatFirstRender(result);
  console.log(text);
  writeFileSync(path.join(projectRoot(), 'bench', 'web-results.md'), `# Web app measurements\n\nWritten by \`node dist/bench/web-first-render.js\`.\n\n${text}\n`);
}
