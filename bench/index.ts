/**
 * The benchmark (issues 7 and 17). `runBench()` seeds a temporary store, runs the real service as a
 * child process for each transport in its default configuration and with the cache off (plus other
 * pool sizes), drives it with autocannon, and turns the rows into the goal rows of issue 17, each
 * against a baseline measured in the same run. `npm run bench` (bench/run.ts) writes the Markdown to
 * bench/RESULTS.md; test/bench/smoke.test.ts runs it with `quick: true` so the harness cannot rot.
 *
 * Modules: load.ts (one autocannon run, percentiles), cases.ts (the requests), harness.ts (store and
 * child processes), scenarios/ (service runs, MCP calls), goals.ts (ratios and targets), before.ts
 * (the previous figures), report.ts (Markdown).
 */
import os from 'node:os';
import { loadConfig } from '../src/config.js';
import { CACHED_CASES, PAIRED_CASES, TRANSPORT_PAIRED_CASES, UNCACHED_CASES, benchCases, singleTaskUrl } from './cases.js';
import { computeGoals } from './goals.js';
import { BenchHarness } from './harness.js';
import { fetchRaw, type RawAnswer } from './load.js';
import type { Child } from './procs.js';
import { renderMarkdown } from './report.js';
import { pooledVsSessionPerCall } from './scenarios/mcp-calls.js';
import { type PhaseSpec, runPhase } from './scenarios/service-phase.js';
import { BENCH_TRANSPORTS, type BenchOptions, type BenchReport, type BenchTransport, type CallRow, type MemoryRow, type ResolvedOptions } from './types.js';

export type { BenchOptions, BenchReport, BenchTransport } from './types.js';
export { renderMarkdown } from './report.js';

/** The service's own defaults (what a plain `npm start` runs). */
function serviceDefaults(): { transport: BenchTransport; poolSize: number } {
  const config = loadConfig({});
  const transport = config.MCP_TRANSPORT as BenchTransport;
  if (!BENCH_TRANSPORTS.includes(transport)) throw new Error(`bench: default transport ${transport} has no local store to bench`);
  return { transport, poolSize: config.MCP_POOL_SIZE };
}

function resolveOptions(options: BenchOptions, defaultPool: number): ResolvedOptions {
  const quick = options.quick ?? false;
  return {
    quick,
    durationSec: options.durationSec ?? 4,
    warmupSec: options.warmupSec ?? (quick ? 0 : 1),
    amount: options.amount ?? (quick ? 40 : 0),
    connections: options.connections ?? 10,
    manyConnections: options.manyConnections ?? (quick ? 8 : 64),
    sizes: options.sizes ?? (quick ? { small: 50, medium: 120, large: 500 } : { small: 1_000, medium: 10_000, large: 100_000 }),
    poolSizes: options.poolSizes ?? (quick ? [defaultPool] : [1, 2, 4]),
    transports: options.transports ?? [...BENCH_TRANSPORTS],
  };
}

/** Captures the answers the bare baseline replays (the body every row of that request gets). */
async function captureAnswers(base: string, urls: Array<['GET' | 'POST', string, string?]>): Promise<Record<string, RawAnswer>> {
  const answers: Record<string, RawAnswer> = {};
  for (const [method, url, body] of urls) {
    const a = await fetchRaw(base + url, method, body);
    if (a.status < 200 || a.status > 299) throw new Error(`${method} ${url} answered ${a.status}: ${a.body.toString('utf8').slice(0, 300)}`);
    answers[`${method} ${url}`] = a;
  }
  return answers;
}

export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const defaults = serviceDefaults();
  const opts = resolveOptions(options, defaults.poolSize);
  // The default transport goes first: its rows are the goal rows, paired with the bare baseline.
  const transports = [...opts.transports].sort((a, b) => Number(b === defaults.transport) - Number(a === defaults.transport));
  if (transports[0] !== defaults.transport) throw new Error(`bench: the default transport (${defaults.transport}) must be among the transports`);
  const h = new BenchHarness(opts, options.log ?? (() => undefined));
  const memory: MemoryRow[] = [];
  const calls: CallRow[] = [];
  try {
    h.seed();
    const get = singleTaskUrl(h.projects);
    const cases = benchCases(h.projects, '');
    let bare: Child | undefined;
    // The baseline replays the answers of the first service run (default transport and configuration);
    // the single task's ETag comes with them (for the 304 rows).
    const startBare = async (service: Child) => {
      const answers = await captureAnswers(service.url, [
        ['GET', cases.list.request.url],
        ['GET', get],
        ['GET', cases.search.request.url],
        ['POST', cases.post.request.url, cases.post.request.body],
      ]);
      const etag = answers[`GET ${get}`]!.headers.etag;
      if (!etag) throw new Error(`GET ${get} has no ETag`);
      Object.assign(cases, benchCases(h.projects, etag));
      h.say('bare Express baseline started');
      bare = await h.startBare(answers);
      return bare;
    };
    const phase = async (spec: Omit<PhaseSpec, 'bare'>) => memory.push(await runPhase(h, { ...spec, bare: bare ?? startBare }, cases));
    for (const transport of transports) {
      const isDefault = transport === defaults.transport;
      const poolSize = defaults.poolSize;
      await phase({ transport, name: 'cached', config: 'default configuration', env: {}, poolSize, cases: CACHED_CASES, paired: isDefault ? PAIRED_CASES : TRANSPORT_PAIRED_CASES });
      // What P7's writes cost in durability: the same POSTs without an fsync per commit.
      if (isDefault) {
        await phase({ transport, name: 'sync-normal', config: 'TASK_MCP_SYNCHRONOUS=NORMAL', env: { TASK_MCP_SYNCHRONOUS: 'NORMAL' }, poolSize, cases: ['post'], paired: new Set(['post']) });
      }
      const uncached = { CACHE_TTL_MS: '0' };
      await phase({ transport, name: 'uncached', config: `pool ${poolSize}, CACHE_TTL_MS=0`, env: uncached, poolSize, cases: UNCACHED_CASES, paired: isDefault ? PAIRED_CASES : TRANSPORT_PAIRED_CASES });
      for (const size of opts.poolSizes.filter((s) => s !== poolSize)) {
        await phase({ transport, name: `pool${size}`, config: `pool ${size}, CACHE_TTL_MS=0`, env: { ...uncached, MCP_POOL_SIZE: String(size) }, poolSize: size, cases: ['list'], paired: new Set(['list']) });
      }
    }
    if (bare) await h.stop(bare);
    for (const transport of transports) calls.push(...(await pooledVsSessionPerCall(h, transport, opts.quick ? 0.3 : 3, opts.quick ? 3 : 25)));

    const computed = computeGoals({ rows: h.rows, calls, memory, transports, defaults, poolSizes: opts.poolSizes, sizes: opts.sizes });
    const cpus = os.cpus();
    const report: Omit<BenchReport, 'markdown'> = {
      machine: {
        cpu: cpus[0]?.model.trim() ?? 'unknown',
        cpus: cpus.length,
        node: process.version,
        date: new Date().toISOString(),
        totalMemGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
        loadAverage: os.loadavg(),
      },
      options: opts,
      defaults,
      rows: h.rows,
      calls,
      memory,
      ...computed,
      seedSeconds: h.seedSeconds,
      failed: h.rows.some((r) => r.failed) || calls.some((c) => c.failed),
    };
    return { ...report, markdown: renderMarkdown(report) };
  } finally {
    await h.close();
  }
}
