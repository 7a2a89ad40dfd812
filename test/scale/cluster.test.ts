/**
 * Cluster mode as an operator runs it: `node dist/src/main.js` with WEB_CONCURRENCY=2 and REDIS_URL.
 * Two workers answer on one port, they share the rate limit, SIGTERM stops every worker and every
 * MCP child; without REDIS_URL it refuses to start.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { alive, descendants, waitFor } from '../helpers/processes.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';

const MAIN = path.resolve('dist/src/main.js');

/**
 * One GET on a new connection (fetch would keep one connection alive, and a connection stays with
 * the worker that accepted it).
 */
function freshGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: data.startsWith('{') ? JSON.parse(data) : data }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}


let redis: RedisServer;
let tmp: string;
const spawned: ChildProcess[] = [];
const leftovers: number[] = [];

beforeAll(async () => {
  redis = await startRedis();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tva-cluster-'));
});

afterAll(async () => {
  // Whatever happened above, nothing we started outlives the file.
  for (const pid of leftovers) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await redis?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('cluster mode (WEB_CONCURRENCY)', () => {
  it('refuses WEB_CONCURRENCY=2 without REDIS_URL: one clear line, exit code 1', () => {
    const run = spawnSync(process.execPath, [MAIN], {
      env: { ...process.env, WEB_CONCURRENCY: '2', REDIS_URL: '', TASK_MCP_HOME: path.join(tmp, 'refused'), API_KEYS: 'k', PORT: '0' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'task-viewer-api: WEB_CONCURRENCY=2 needs REDIS_URL: workers cannot share in-memory caches, Idempotency-Keys and rate limits (set REDIS_URL, or WEB_CONCURRENCY=1)',
    );
  });

  it('two workers serve one port, share the rate limit, a dead worker is replaced, and SIGTERM stops them all with no child left', async () => {
    const port = await freePort();
    const primary = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        WEB_CONCURRENCY: '2',
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: 'cluster-test:',
        PORT: String(port),
        TASK_MCP_HOME: path.join(tmp, 'store'),
        API_KEYS: 'cluster-key',
        MCP_POOL_SIZE: '1',
        RATE_LIMIT_PER_MINUTE: '30',
        // Slow replies on a loaded machine must not count as an outage (that falls back to per-worker limits).
        REDIS_COMMAND_TIMEOUT_MS: '10000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned.push(primary);
    // The log (stdout) and start-up messages (stderr), together.
    let stderr = '';
    primary.stdout!.on('data', (d) => (stderr += d));
    primary.stderr!.on('data', (d) => (stderr += d));
    const base = `http://127.0.0.1:${port}`;
    const pids = new Set<number>();
    await waitFor(
      async () => {
        if (primary.exitCode !== null) throw new Error(`the primary exited with ${primary.exitCode}: ${stderr}`);
        const res = await freshGet(`${base}/health`).catch(() => undefined);
        if (res?.status === 200) {
          const body = res.body as { worker: { pid: number; id: number }; redis: { status: string } };
          expect(body.worker.id).toBeGreaterThan(0);
          // A worker that started before Redis answered it reports `down` until it connects.
          if (body.redis.status === 'ready') pids.add(body.worker.pid);
        }
        return pids.size === 2;
      },
      45_000,
      'two different workers answering /health with Redis ready',
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${stderr}`);
    });
    const tree = descendants(primary.pid!);
    leftovers.push(...tree);
    for (const pid of pids) expect(tree).toContain(pid);
    // Each worker has its own MCP child (pool size 1): 2 workers + 2 children at least.
    expect(tree.length).toBeGreaterThanOrEqual(4);

    // 30 per minute for the key, counted across both workers (new connections spread over them).
    const statuses = await Promise.all(
      Array.from({ length: 60 }, () => freshGet(`${base}/api/v1/projects`, { 'X-API-Key': 'cluster-key' }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);

    // A worker that dies is replaced: a third pid starts answering.
    const [victim] = pids;
    process.kill(victim, 'SIGKILL');
    await waitFor(
      async () => {
        const res = await freshGet(`${base}/health`).catch(() => undefined);
        if (res?.status === 200) pids.add((res.body as { worker: { pid: number } }).worker.pid);
        return pids.size === 3;
      },
      45_000,
      'a replacement worker answering',
    );
    const everything = [...new Set([...tree, ...descendants(primary.pid!)])];
    leftovers.push(...everything);

    const exited = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve(code)));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    await waitFor(() => everything.every((pid) => !alive(pid)), 15_000, 'every worker and MCP child gone');
    expect(stderr).toMatch(/worker died; restarting it/);
  }, 90_000);
});
