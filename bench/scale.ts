/**
 * `npm run bench:scale`: what shared state costs and what a second worker buys, on this machine.
 * - a cached task list through one instance: the in-memory store vs Redis (each hit then reads the
 *   workspace generation from Redis), as a ratio measured in one run;
 * - the same load against cluster mode with 2 workers vs 1 (both on Redis).
 * The service runs as `node dist/src/main.js` child processes and a real `redis-server` is started on
 * a free port; the load comes from autocannon in this process. Writes bench/SCALE-RESULTS.md.
 * Environment: BENCH_SCALE_DURATION_SEC (10), BENCH_SCALE_WARMUP_SEC (3), BENCH_SCALE_CONNECTIONS (16).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { type Child, freePort, projectRoot, startServiceProcess } from './procs.js';
import { seedStore } from './seed.js';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const DURATION_SEC = num('BENCH_SCALE_DURATION_SEC', 10);
const WARMUP_SEC = num('BENCH_SCALE_WARMUP_SEC', 3);
const CONNECTIONS = num('BENCH_SCALE_CONNECTIONS', 16);
const KEY = 'bench-scale-key-0123456789';
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Measured {
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  failures: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One autocannon run; latencies from each response's own time (fractional ms). */
function run(url: string, durationSec: number): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let failures = 0;
    const started = performance.now();
    let lastAt = started;
    const instance = autocannon({ url, headers: { 'X-API-Key': KEY }, connections: CONNECTIONS, duration: durationSec, timeout: 10, sampleInt: 100 }, (err, result) => {
      if (err) return reject(err);
      latencies.sort((a, b) => a - b);
      const seconds = (lastAt - started) / 1000;
      resolve({ reqPerSec: seconds > 0 ? latencies.length / seconds : 0, p50: percentile(latencies, 50), p99: percentile(latencies, 99), requests: latencies.length, failures: failures + result.errors + result.timeouts });
    });
    instance.on('response', (_client, status, _bytes, ms) => {
      latencies.push(ms);
      lastAt = performance.now();
      if (status !== 200) failures++;
    });
  });
}

async function measure(url: string): Promise<Measured> {
  if (WARMUP_SEC > 0) await run(url, WARMUP_SEC);
  return run(url, DURATION_SEC);
}

// ---------------------------------------------------------------- redis-server

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => (socket.destroy(), resolve(ok));
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

async function startRedis(): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error('redis-server did not start (is it installed?)');
    await new Promise((r) => setTimeout(r, 25));
  }
  return { url: `redis://127.0.0.1:${port}`, proc };
}

// ---------------------------------------------------------------- the runs

interface Row {
  name: string;
  m: Measured;
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tva-bench-scale-'));
  const home = path.join(tmp, 'store');
  const [project] = seedStore(home, path.join(tmp, 'ws'), [{ name: 'proj-2k', tasks: 2_000 }]);
  const redis = await startRedis();
  const children: Child[] = [];
  const base = {
    TASK_MCP_HOME: home,
    API_KEYS: KEY,
    MCP_POOL_SIZE: '2',
    LOG_LEVEL: 'warn',
    CACHE_TTL_MS: '600000',
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_PER_HOUR: '100000000',
    ALLOWED_WORKSPACE_ROOTS: tmp,
  };
  const listPath = `/api/v1/tasks?project_id=${project!.projectId}&limit=50`;
  const rows: Row[] = [];
  const scenario = async (name: string, env: Record<string, string>) => {
    log(`- ${name}`);
    const child = await startServiceProcess({ ...base, ...env }, tmp);
    children.push(child);
    try {
      rows.push({ name, m: await measure(`${child.url}${listPath}`) });
    } finally {
      await child.stop();
    }
  };
  try {
    await scenario('one instance, in-memory store', {});
    await scenario('one instance, Redis', { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench-1:' });
    // Run again next to the cluster row, so both see the same machine load.
    await scenario('WEB_CONCURRENCY=1, Redis', { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench-2:', WEB_CONCURRENCY: '1' });
    await scenario('WEB_CONCURRENCY=2 (cluster), Redis', { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench-3:', WEB_CONCURRENCY: '2' });
  } finally {
    for (const c of children) await c.stop();
    redis.proc.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
  }

  const by = (name: string) => rows.find((r) => r.name === name)!.m;
  const ratio = (a: Measured, b: Measured) => (b.reqPerSec > 0 ? a.reqPerSec / b.reqPerSec : 0);
  const redisVsMemory = ratio(by('one instance, Redis'), by('one instance, in-memory store'));
  const twoVsOne = ratio(by('WEB_CONCURRENCY=2 (cluster), Redis'), by('WEB_CONCURRENCY=1, Redis'));
  const fmt = (n: number, d = 0) => n.toFixed(d);
  const markdown = [
    '# Scale benchmark (`npm run bench:scale`)',
    '',
    `Cached \`GET ${listPath.replace(project!.projectId, '<id>')}\` (a project of 2,000 tasks; every request after the first is a ready answer),`,
    `autocannon with ${CONNECTIONS} connections, ${WARMUP_SEC} s warm-up + ${DURATION_SEC} s measured per row, on ${os.availableParallelism()} cores`,
    `(${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, the load generator on the same machine.`,
    '',
    '| Configuration | req/s | p50 ms | p99 ms | requests | failures |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${fmt(r.m.reqPerSec)} | ${fmt(r.m.p50, 2)} | ${fmt(r.m.p99, 2)} | ${r.m.requests} | ${r.m.failures} |`),
    '',
    `- **Redis vs in-memory store, one instance: ${fmt(redisVsMemory, 2)}×** the throughput (each hit costs three Redis round trips: the minute and hour rate-limit counters and the workspace generation).`,
    `- **Cluster, 2 workers vs 1 (both on Redis): ${fmt(twoVsOne, 2)}×** the throughput on this machine (the workers, their MCP children, Redis and autocannon share its cores).`,
    '',
  ].join('\n');
  const out = path.join(projectRoot(), 'bench', 'SCALE-RESULTS.md');
  writeFileSync(out, markdown);
  process.stdout.write(`${markdown}\nwritten to ${out}\n`);
  if (rows.some((r) => r.m.failures > 0 || r.m.requests === 0)) process.exitCode = 1;
}

await main();
