/**
 * The benchmark harness (issue 7). `runBench()` seeds a temporary store, starts the real service as a
 * child process (`node dist/src/main.js`) in several configurations, drives it with autocannon from
 * this process, compares every scenario with a baseline measured in the same run, and returns the
 * figures plus a Markdown report. `npm run bench` (bench/run.ts) writes that report to bench/RESULTS.md;
 * test/bench/smoke.test.ts runs it with `quick: true` so the harness cannot rot.
 *
 * Latency percentiles are computed here from every response's own time (autocannon's `response` event,
 * fractional milliseconds; autocannon's histogram keeps whole milliseconds and 2xx only). req/s is
 * responses / wall time of the measured window. Any non-2xx answer or connection error fails the row.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createSessionFactory } from '../src/mcp/transports/index.js';
import { createRuntime } from '../src/runtime.js';
import { type Child, type MemoryPeak, sampleMemory, startBareProcess, startServiceProcess } from './procs.js';
import { type SeededProject, seedStore } from './seed.js';

export type BenchTransport = 'embedded' | 'inprocess';

export interface BenchOptions {
  /** A tiny run for the smoke test: tiny projects, fractions of a second per scenario. */
  quick?: boolean;
  /** Measured seconds per load scenario (default 4; quick mode uses `amount` instead). */
  durationSec?: number;
  /** Unmeasured warm-up seconds before each load scenario (default 1, quick 0). */
  warmupSec?: number;
  /** Requests per load row instead of a duration (default: none; quick: 40). */
  amount?: number;
  /** Concurrent connections of the load generator (default 10). */
  connections?: number;
  /** Task counts of the small / medium / large projects (default 1,000 / 10,000 / 100,000). */
  sizes?: { small: number; medium: number; large: number };
  /** Pool sizes for scenario 5 (default 1, 2, 4). */
  poolSizes?: number[];
  transports?: BenchTransport[];
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** What one load run measured. */
export interface Measured {
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface LoadRow extends Measured {
  scenario: string;
  name: string;
  /** Which baseline row this one is compared with (its name), if any. */
  baseline?: string;
  failed: boolean;
}

export interface Ratio {
  name: string;
  value: number;
  /** e.g. ">= 0.7"; undefined: informative only. */
  target?: string;
  met?: boolean;
}

export interface PoolRow {
  transport: BenchTransport;
  poolSize: number;
  row: LoadRow;
  memory: MemoryPeak;
}

export interface BenchReport {
  machine: { cpu: string; cpus: number; node: string; date: string; totalMemGb: number };
  options: Required<Omit<BenchOptions, 'log'>>;
  rows: LoadRow[];
  ratios: Ratio[];
  pool: PoolRow[];
  memory: Array<{ config: string; memory: MemoryPeak }>;
  seedSeconds: number;
  failed: boolean;
  markdown: string;
}

const API_KEY = 'bench-key-0123456789abcdef';
const HEADERS = { 'X-API-Key': API_KEY };

// ---------------------------------------------------------------- measuring

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  durationSec: number;
  /** A fixed number of requests instead of a duration (quick mode: autocannon's timer runs in whole seconds). */
  amount?: number;
  connections: number;
}


function runAutocannon(spec: LoadSpec, durationSec: number, amount?: number): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let non2xx = 0;
    const started = performance.now();
    let lastAt = started;
    const instance = autocannon(
      {
        url: spec.url,
        method: spec.method ?? 'GET',
        headers: spec.body ? { ...HEADERS, 'Content-Type': 'application/json' } : HEADERS,
        body: spec.body,
        connections: spec.connections,
        ...(amount ? { amount } : { duration: durationSec }),
        timeout: 10,
        // autocannon ends a run on its next sampling tick: sample often so a run ends promptly.
        sampleInt: 100,
      },
      (err, result) => {
        if (err) return reject(err);
        // The window from start to the last response (autocannon may idle until its next tick).
        const seconds = (lastAt - started) / 1000;
        latencies.sort((a, b) => a - b);
        resolve({
          reqPerSec: seconds > 0 ? latencies.length / seconds : 0,
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          requests: latencies.length,
          non2xx,
          errors: result.errors + result.timeouts,
        });
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      latencies.push(ms);
      lastAt = performance.now();
      if (status < 200 || status > 299) non2xx++;
    });
  });
}

async function load(spec: LoadSpec, warmupSec: number): Promise<Measured> {
  if (warmupSec > 0) await runAutocannon(spec, warmupSec);
  return runAutocannon(spec, spec.durationSec, spec.amount);
}

function toRow(scenario: string, name: string, m: Measured, baseline?: string): LoadRow {
  return { scenario, name, baseline, ...m, failed: m.non2xx > 0 || m.errors > 0 || m.requests === 0 };
}

/** One HTTP exchange without Accept-Encoding (like autocannon), returning the raw body. */
function fetchRaw(url: string, method: 'GET' | 'POST', body?: string): Promise<{ status: number; contentType: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...HEADERS };
    if (body) headers['Content-Type'] = 'application/json';
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// ---------------------------------------------------------------- scenario 3: pool vs session per call

interface LatencyStats {
  calls: number;
  errors: number;
  p50: number;
  p99: number;
  mean: number;
}

function stats(ms: number[], errors: number): LatencyStats {
  const sorted = [...ms].sort((a, b) => a - b);
  return { calls: ms.length, errors, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: ms.reduce((a, b) => a + b, 0) / (ms.length || 1) };
}

async function poolVsSessionPerCall(
  kind: BenchTransport,
  home: string,
  tmp: string,
  project: SeededProject,
  pooledSeconds: number,
  perCallCount: number,
): Promise<{ pooled: LatencyStats; perCall: LatencyStats }> {
  const log = pino({ level: 'silent' });
  const args = { workspace_path: project.workspacePath, task_id: project.liveIds[Math.floor(project.liveIds.length / 2)]! };
  const config = loadConfig({
    TASK_MCP_HOME: home,
    MCP_TRANSPORT: kind,
    MCP_POOL_SIZE: '2',
    MCP_PING_INTERVAL_MS: '0',
    API_KEYS: API_KEY,
    API_KEY_FILE: path.join(tmp, 'api-key'),
    LOG_LEVEL: 'silent',
  });

  // The pattern the service uses: long-lived sessions, one call at a time through gateway.call.
  const runtime = createRuntime(config, log);
  await runtime.start();
  const pooledMs: number[] = [];
  let pooledErrors = 0;
  try {
    for (let i = 0; i < 20; i++) await runtime.gateway.call('get_task', args); // warm-up
    const until = performance.now() + pooledSeconds * 1000;
    while (performance.now() < until) {
      const t = performance.now();
      try {
        await runtime.gateway.call('get_task', args);
        pooledMs.push(performance.now() - t);
      } catch {
        pooledErrors++;
      }
    }
  } finally {
    await runtime.close();
  }

  // The anti-pattern: open a session (spawn + handshake for stdio), call once, close.
  const factory = createSessionFactory(kind, { taskMcpHome: home, connectTimeoutMs: 15_000, callTimeoutMs: 10_000 }, log);
  const perCallMs: number[] = [];
  let perCallErrors = 0;
  for (let i = 0; i < perCallCount; i++) {
    const t = performance.now();
    try {
      const session = await factory();
      try {
        const result = await session.client.request({ method: 'tools/call', params: { name: 'get_task', arguments: args } }, CallToolResultSchema);
        if (result.isError) perCallErrors++;
      } finally {
        await session.close();
      }
      perCallMs.push(performance.now() - t);
    } catch {
      perCallErrors++;
    }
  }
  return { pooled: stats(pooledMs, pooledErrors), perCall: stats(perCallMs, perCallErrors) };
}

// ---------------------------------------------------------------- the run

export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const quick = options.quick ?? false;
  const opts: BenchReport['options'] = {
    quick,
    durationSec: options.durationSec ?? 4,
    warmupSec: options.warmupSec ?? (quick ? 0 : 1),
    amount: options.amount ?? (quick ? 40 : 0),
    connections: options.connections ?? 10,
    sizes: options.sizes ?? (quick ? { small: 50, medium: 120, large: 500 } : { small: 1_000, medium: 10_000, large: 100_000 }),
    poolSizes: options.poolSizes ?? (quick ? [1] : [1, 2, 4]),
    transports: options.transports ?? ['embedded', 'inprocess'],
  };
  const say = options.log ?? (() => undefined);
  const defaultPool = Math.max(1, os.availableParallelism());
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tva-bench-'));
  const home = path.join(tmp, 'store');
  const children: Child[] = [];
  const rows: LoadRow[] = [];
  const memory: BenchReport['memory'] = [];
  const pool: PoolRow[] = [];

  const startService = async (env: Record<string, string>) => {
    const child = await startServiceProcess(
      {
        TASK_MCP_HOME: home,
        API_KEYS: API_KEY,
        API_KEY_FILE: path.join(tmp, 'api-key'),
        DEFAULT_PROJECT_ID: medium.projectId,
        RATE_LIMIT_PER_MINUTE: '1000000000',
        RATE_LIMIT_PER_HOUR: '1000000000',
        LOG_LEVEL: 'warn',
        MCP_PING_INTERVAL_MS: '0',
        ...env,
      },
      tmp,
    );
    children.push(child);
    return child;
  };
  const stop = async (child: Child) => {
    await child.stop();
    children.splice(children.indexOf(child), 1);
  };
  const measure = async (scenario: string, name: string, base: string, spec: Omit<LoadSpec, 'durationSec' | 'connections'>, baseline?: string) => {
    say(`  ${scenario} ${name}`);
    const row = toRow(scenario, name, await load({ ...spec, url: base + spec.url, durationSec: opts.durationSec, amount: opts.amount || undefined, connections: opts.connections }, opts.warmupSec), baseline);
    rows.push(row);
    say(`    ${row.reqPerSec.toFixed(0)} req/s  p50 ${row.p50.toFixed(2)} ms  p99 ${row.p99.toFixed(2)} ms  non-2xx ${row.non2xx}  errors ${row.errors}`);
    return row;
  };

  // ---- seed
  say(`seeding ${opts.sizes.small} / ${opts.sizes.medium} / ${opts.sizes.large} tasks`);
  const seedStart = performance.now();
  const [small, medium, large] = seedStore(home, path.join(tmp, 'workspaces'), [
    { name: 'proj-small', tasks: opts.sizes.small },
    { name: 'proj-medium', tasks: opts.sizes.medium },
    { name: 'proj-large', tasks: opts.sizes.large },
  ]) as [SeededProject, SeededProject, SeededProject];
  const seedSeconds = (performance.now() - seedStart) / 1000;
  say(`  seeded in ${seedSeconds.toFixed(1)} s`);

  const taskId = medium.liveIds[Math.floor(medium.liveIds.length / 2)]!;
  const urls = {
    list: '/api/v1/tasks?limit=50',
    get: `/api/v1/tasks/${taskId}`,
    search: '/api/v1/tasks/search?q=login',
    post: '/api/v1/tasks',
    listSmall: `/api/v1/tasks?limit=50&project_id=${small.projectId}`,
    listLarge: `/api/v1/tasks?limit=50&project_id=${large.projectId}`,
  };
  const postBody = JSON.stringify({
    title: 'Benchmark task',
    description: 'Created by the benchmark to measure POST /api/v1/tasks.',
    priority: 'medium',
    tags: ['bench', 'api'],
  });
  const captured: Record<string, { status: number; contentType: string; body: string }> = {};
  const capture = async (base: string, method: 'GET' | 'POST', url: string, body?: string) => {
    const r = await fetchRaw(base + url, method, body);
    if (r.status < 200 || r.status > 299) throw new Error(`${method} ${url} answered ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`);
    captured[`${method} ${url}`] = { status: r.status, contentType: r.contentType, body: r.body.toString('base64') };
  };

  try {
    // ---- scenarios 1, 2 and 4 without the cache (every request reaches MCP), default transport and pool
    say(`service: embedded, pool ${defaultPool}, CACHE_TTL_MS=0`);
    let svc = await startService({ MCP_TRANSPORT: 'embedded', MCP_POOL_SIZE: String(defaultPool), CACHE_TTL_MS: '0' });
    await capture(svc.url, 'GET', urls.list);
    await capture(svc.url, 'GET', urls.get);
    await capture(svc.url, 'GET', urls.search);
    let mem = sampleMemory(svc.pid);
    await measure('1', 'GET /tasks?limit=50, cache off', svc.url, { url: urls.list }, 'bare GET /tasks?limit=50');
    await measure('2', 'GET /tasks/{id}, cache off', svc.url, { url: urls.get }, 'bare GET /tasks/{id}');
    await measure('2', 'GET /tasks/search?q=, cache off', svc.url, { url: urls.search }, 'bare GET /tasks/search');
    await measure('4', `GET /tasks?limit=50, ${opts.sizes.small} tasks, cache off`, svc.url, { url: urls.listSmall });
    await measure('4', `GET /tasks?limit=50, ${opts.sizes.large} tasks, cache off`, svc.url, { url: urls.listLarge });
    memory.push({ config: `embedded, pool ${defaultPool}, cache off (scenarios 1, 2, 4)`, memory: mem.stop() });
    await stop(svc);

    // ---- the same with the cache on (the default 5 s TTL), then writes
    say(`service: embedded, pool ${defaultPool}, CACHE_TTL_MS=5000`);
    svc = await startService({ MCP_TRANSPORT: 'embedded', MCP_POOL_SIZE: String(defaultPool), CACHE_TTL_MS: '5000' });
    mem = sampleMemory(svc.pid);
    await measure('1', 'GET /tasks?limit=50, cache on', svc.url, { url: urls.list }, 'bare GET /tasks?limit=50');
    await measure('2', 'GET /tasks/{id}, cache on', svc.url, { url: urls.get }, 'bare GET /tasks/{id}');
    await measure('2', 'GET /tasks/search?q=, cache on', svc.url, { url: urls.search }, 'bare GET /tasks/search');
    await measure('4', `GET /tasks?limit=50, ${opts.sizes.small} tasks, cache on`, svc.url, { url: urls.listSmall });
    await measure('4', `GET /tasks?limit=50, ${opts.sizes.large} tasks, cache on`, svc.url, { url: urls.listLarge });
    await capture(svc.url, 'POST', urls.post, postBody);
    await measure('2', 'POST /tasks', svc.url, { url: urls.post, method: 'POST', body: postBody }, 'bare POST /tasks');
    memory.push({ config: `embedded, pool ${defaultPool}, cache on (scenarios 1, 2, 4 + POST)`, memory: mem.stop() });
    await stop(svc);

    // ---- the baseline: byte-identical bodies from a bare Express app in its own process
    const routesFile = path.join(tmp, 'bare-routes.json');
    writeFileSync(routesFile, JSON.stringify(captured));
    say('bare Express baseline');
    const bare = await startBareProcess(routesFile);
    children.push(bare);
    await measure('baseline', 'bare GET /tasks?limit=50', bare.url, { url: urls.list });
    await measure('baseline', 'bare GET /tasks/{id}', bare.url, { url: urls.get });
    await measure('baseline', 'bare GET /tasks/search', bare.url, { url: urls.search });
    await measure('baseline', 'bare POST /tasks', bare.url, { url: urls.post, method: 'POST', body: postBody });
    await stop(bare);

    // ---- scenario 3: one MCP tool call through the pool vs a new session per call
    const s3: Array<{ kind: BenchTransport; pooled: LatencyStats; perCall: LatencyStats }> = [];
    for (const kind of opts.transports) {
      say(`scenario 3: ${kind}`);
      const r = await poolVsSessionPerCall(kind, home, tmp, medium, quick ? 0.3 : 3, quick ? 3 : 25);
      s3.push({ kind, ...r });
      for (const [label, st] of [['pooled gateway.call', r.pooled], ['new session per call', r.perCall]] as const) {
        rows.push({
          scenario: '3',
          name: `MCP get_task, ${kind}, ${label} (sequential)`,
          reqPerSec: st.mean > 0 ? 1000 / st.mean : 0,
          p50: st.p50,
          p99: st.p99,
          requests: st.calls,
          non2xx: 0,
          errors: st.errors,
          failed: st.errors > 0 || st.calls === 0,
        });
        say(`    ${label}: p50 ${st.p50.toFixed(2)} ms  p99 ${st.p99.toFixed(2)} ms  (${st.calls} calls, ${st.errors} errors)`);
      }
    }

    // ---- scenario 5 (+6): pool sizes and transports, cache off, list on the medium project
    for (const transport of opts.transports) {
      for (const size of opts.poolSizes) {
        say(`service: ${transport}, pool ${size}, CACHE_TTL_MS=0`);
        svc = await startService({ MCP_TRANSPORT: transport, MCP_POOL_SIZE: String(size), CACHE_TTL_MS: '0' });
        mem = sampleMemory(svc.pid);
        const row = await measure('5', `GET /tasks?limit=50, cache off, ${transport}, pool ${size}`, svc.url, { url: urls.list });
        const peak = mem.stop();
        pool.push({ transport, poolSize: size, row, memory: peak });
        memory.push({ config: `${transport}, pool ${size}, cache off (scenario 5)`, memory: peak });
        await stop(svc);
      }
    }

    // ---- ratios
    const byName = new Map(rows.map((r) => [r.name, r]));
    const get = (name: string) => {
      const r = byName.get(name);
      if (!r) throw new Error(`missing row ${name}`);
      return r;
    };
    const ratio = (name: string, value: number, target?: { op: '>=' | '<='; bound: number }): Ratio => ({
      name,
      value,
      target: target ? `${target.op} ${target.bound}` : undefined,
      met: target ? (target.op === '>=' ? value >= target.bound : value <= target.bound) : undefined,
    });
    const ratios: Ratio[] = [];
    const cachedList = get('GET /tasks?limit=50, cache on');
    const uncachedList = get('GET /tasks?limit=50, cache off');
    const bareList = get('bare GET /tasks?limit=50');
    ratios.push(ratio('1. req/s cached list / bare Express', cachedList.reqPerSec / bareList.reqPerSec, { op: '>=', bound: 0.7 }));
    ratios.push(ratio('1. req/s uncached list / bare Express', uncachedList.reqPerSec / bareList.reqPerSec, { op: '>=', bound: 0.3 }));
    ratios.push(ratio('1. p99 ms, cached list under load', cachedList.p99, { op: '<=', bound: 25 }));
    ratios.push(ratio('1. p99 ms, uncached list under load', uncachedList.p99, { op: '<=', bound: 25 }));
    for (const r of rows) {
      if (r.scenario === '2' && r.baseline) ratios.push(ratio(`2. req/s ${r.name} / bare`, r.reqPerSec / get(r.baseline).reqPerSec));
    }
    for (const { kind, pooled, perCall } of s3) {
      const target = kind === 'embedded' ? { op: '>=' as const, bound: 100 } : undefined;
      ratios.push(ratio(`3. p50 latency new session per call / pooled (${kind})`, perCall.p50 / pooled.p50, target));
    }
    for (const cache of ['off', 'on']) {
      const s = get(`GET /tasks?limit=50, ${opts.sizes.small} tasks, cache ${cache}`);
      const l = get(`GET /tasks?limit=50, ${opts.sizes.large} tasks, cache ${cache}`);
      ratios.push(ratio(`4. p50 list ${opts.sizes.large} tasks / ${opts.sizes.small} tasks (cache ${cache})`, l.p50 / s.p50, cache === 'off' ? { op: '<=', bound: 1.5 } : undefined));
    }
    if (pool.length) {
      const best = [...pool].sort((a, b) => b.row.reqPerSec - a.row.reqPerSec)[0]!;
      for (const p of pool) ratios.push(ratio(`5. req/s ${p.transport} pool ${p.poolSize} / best (${best.transport} pool ${best.poolSize})`, p.row.reqPerSec / best.row.reqPerSec));
    }

    const cpus = os.cpus();
    const report: Omit<BenchReport, 'markdown'> = {
      machine: {
        cpu: cpus[0]?.model.trim() ?? 'unknown',
        cpus: cpus.length,
        node: process.version,
        date: new Date().toISOString(),
        totalMemGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      },
      options: opts,
      rows,
      ratios,
      pool,
      memory,
      seedSeconds,
      failed: rows.some((r) => r.failed),
    };
    return { ...report, markdown: renderMarkdown(report) };
  } finally {
    for (const c of [...children]) await c.stop().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- report

const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

export function renderMarkdown(r: Omit<BenchReport, 'markdown'>): string {
  const o = r.options;
  const lines: string[] = [];
  lines.push('# Benchmark results', '');
  lines.push(`Generated by \`npm run bench\`${o.quick ? ' (quick mode: smoke run, figures meaningless)' : ''}. All figures come from one run.`, '');
  lines.push(`- Machine: ${r.machine.cpu}, ${r.machine.cpus} CPUs, ${r.machine.totalMemGb} GiB RAM`);
  lines.push(`- Node ${r.machine.node}, ${r.machine.date}`);
  lines.push(
    `- Load: autocannon, ${o.connections} connections, ${o.amount ? `${o.amount} requests` : `${o.warmupSec} s warm-up + ${o.durationSec} s measured`} per row; ` +
      `service as a child process (\`node dist/src/main.js\`, LOG_LEVEL=warn, rate limits raised), load generator in the bench process`,
  );
  lines.push(
    `- Store: projects of ${o.sizes.small} / ${o.sizes.medium} / ${o.sizes.large} tasks seeded in ${f(r.seedSeconds, 1)} s; ` +
      `scenarios 1, 2, 5 use the ${o.sizes.medium}-task project`,
  );
  lines.push(`- Overall: ${r.failed ? '**FAILED** (a row had non-2xx answers or errors)' : 'every row passed (no non-2xx, no errors)'}`, '');

  lines.push('## Scenarios', '');
  lines.push('| # | Case | req/s | p50 ms | p99 ms | requests | non-2xx | errors | result |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---|');
  for (const row of r.rows) {
    lines.push(
      `| ${row.scenario} | ${row.name} | ${f(row.reqPerSec, 0)} | ${f(row.p50)} | ${f(row.p99)} | ${row.requests} | ${row.non2xx} | ${row.errors} | ${row.failed ? '**failed**' : 'ok'} |`,
    );
  }
  lines.push('', 'Scenario 3 rows are sequential single calls from the bench process; their req/s is 1000 / mean latency.', '');

  lines.push('## Ratios and targets', '');
  lines.push('| Ratio | Value | Target | Met |');
  lines.push('|---|---:|---|---|');
  for (const x of r.ratios) lines.push(`| ${x.name} | ${f(x.value)} | ${x.target ?? '—'} | ${x.met === undefined ? '—' : x.met ? 'yes' : '**no**'} |`);
  lines.push('');

  if (r.pool.length) {
    const best = [...r.pool].sort((a, b) => b.row.reqPerSec - a.row.reqPerSec)[0]!;
    lines.push('## Scenario 5: transport and pool size (GET /tasks?limit=50, cache off)', '');
    lines.push('| Transport | Pool | req/s | p50 ms | p99 ms | peak RSS total MB | |');
    lines.push('|---|---:|---:|---:|---:|---:|---|');
    for (const p of r.pool) {
      lines.push(`| ${p.transport} | ${p.poolSize} | ${f(p.row.reqPerSec, 0)} | ${f(p.row.p50)} | ${f(p.row.p99)} | ${f(p.memory.totalRssPeakMb, 1)} | ${p === best ? 'fastest' : ''} |`);
    }
    lines.push('', `Fastest here: **${best.transport}, pool ${best.poolSize}** (${f(best.row.reqPerSec, 0)} req/s).`, '');
  }

  lines.push('## Scenario 6: peak memory under load', '');
  lines.push('Sampled from /proc every 200 ms: VmHWM of the service process, the sum of its children\'s VmHWM (stdio MCP servers), and the largest sampled sum of VmRSS over the whole process tree.', '');
  lines.push('| Configuration | processes | service VmHWM MB | children VmHWM MB | peak total RSS MB |');
  lines.push('|---|---:|---:|---:|---:|');
  for (const m of r.memory) {
    lines.push(`| ${m.config} | ${m.memory.processes} | ${f(m.memory.serviceHwmMb, 1)} | ${f(m.memory.childrenHwmMb, 1)} | ${f(m.memory.totalRssPeakMb, 1)} |`);
  }
  lines.push('');
  return lines.join('\n');
}
