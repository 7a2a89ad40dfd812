/**
 * Redis killed (SIGKILL) under load, then restarted empty on the same port, with two instances on one
 * store. What the README promises: no request hangs past its deadline, no acknowledged write is lost or
 * doubled, while Redis is down reads work (bypassing the cache, so no stale answer), writes without a
 * key work, keyed POSTs get 503 + Retry-After, events tokens 503, /health says `down`; and once Redis
 * is back everything recovers by itself, with no answer cached before the outage served after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, type Harness } from '../helpers/api-harness.js';
import { freeze, releaseFrozen, thaw } from '../helpers/freeze.js';
import { waitFor } from '../helpers/processes.js';
import { startInstances } from '../helpers/instances.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';

/** Longest any request may take here (the service's own deadlines are far below it). */
const REQUEST_DEADLINE_MS = 5_000;

let redis: RedisServer;
let home: string;
let instances: Harness[] = [];
let urls: string[] = [];
let query: string;

const headers = { 'X-API-Key': API_KEY, 'Content-Type': 'application/json' };
/** A request with a deadline: one that does not answer in time fails the test as a hang. */
async function call(base: string, method: string, p: string, body?: unknown, extra: Record<string, string> = {}) {
  const started = Date.now();
  try {
    const res = await fetch(`${base}${p}`, { method, headers: { ...headers, ...extra }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(REQUEST_DEADLINE_MS) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, ms: Date.now() - started };
  } catch (err) {
    throw new Error(`${method} ${p} did not answer within ${REQUEST_DEADLINE_MS} ms (${(err as Error).message})`);
  }
}
const health = async (base: string) => (await call(base, 'GET', '/health')).body;

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'tva-outage-'));
  redis = await startRedis({ dir: home });
  const env = {
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: 'outage-test:',
    REDIS_COMMAND_TIMEOUT_MS: '500',
    CACHE_TTL_MS: '600000',
    CHANGE_POLL_MS: '0',
  };
  try {
    ({ instances, urls, query } = await startInstances(2, home, env, 'outage'));
  } catch (err) {
    await redis.stop();
    throw err;
  }
}, 90_000);

afterAll(async () => {
  releaseFrozen();
  await Promise.allSettled(instances.map((h) => h.close()));
  await redis?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('Redis killed under load and restarted', () => {
  it('degrades as documented, never hangs, loses or doubles no write, and recovers by itself', async () => {
    const [a, b] = urls;
    const list = `/api/v1/tasks?${query}&limit=100`;
    const acknowledged: string[] = [];
    let writes = 0;
    const write = async (base: string) => {
      const title = `write ${++writes}`;
      const res = await call(base, 'POST', `/api/v1/tasks?${query}`, { title });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      acknowledged.push(title);
    };
    const titlesOn = async (base: string) => (await call(base, 'GET', list)).body.tasks.map((t: { title: string }) => t.title) as string[];

    // Background load for the whole test: reads on both instances, each within its deadline.
    let loading = true;
    const readStatuses: number[] = [];
    const load = Promise.all(
      urls.map(async (base) => {
        while (loading) readStatuses.push((await call(base, 'GET', list)).status);
      }),
    );
    try {
      for (let i = 0; i < 5; i++) await write(i % 2 ? a : b);
      // B holds ready answers from before the outage.
      await titlesOn(b);
      await titlesOn(b);

      await redis.kill();
      await waitFor(async () => (await health(a)).redis.status === 'down' && (await health(b)).redis.status === 'down', 15_000, 'both instances report Redis down');
      const down = await health(b);
      expect(down.status).toBe('degraded');
      expect(down.reasons).toContain('Redis is unreachable');
      expect(down.redis).toEqual({ configured: true, status: 'down', rate_limits: 'per_instance' });
      expect((await call(b, 'GET', '/health/ready')).body).toEqual({ status: 'ready', redis: 'down' });

      // Keyed POSTs are refused rather than risk a duplicate; nothing was created by them.
      const keyed = await call(a, 'POST', `/api/v1/tasks?${query}`, { title: 'keyed while down' }, { 'Idempotency-Key': 'while-down' });
      expect(keyed.status).toBe(503);
      expect(keyed.headers.get('retry-after')).toBe('1');
      expect(keyed.body.error).toBe('service_unavailable');
      expect((await call(a, 'POST', '/api/v1/events/tokens', {})).status).toBe(503);

      // Writes without a key work, and the other instance reads them at once (no cache while down).
      for (let i = 0; i < 6; i++) {
        await write(i % 2 ? b : a);
        expect(await titlesOn(i % 2 ? a : b)).toContain(acknowledged.at(-1));
      }

      await redis.restart();
      await waitFor(
        async () => (await health(a)).redis.status === 'ready' && (await health(b)).redis.status === 'ready',
        20_000,
        'both instances report Redis ready again, by themselves',
      );
      // The answers B cached before the outage predate the writes made during it: never served now.
      const after = await titlesOn(b);
      for (const title of acknowledged) expect(after).toContain(title);
      await titlesOn(b); // cached again, now under the new epoch
      await write(a);
      expect(await titlesOn(b)).toContain(acknowledged.at(-1));

      // Keyed POSTs work again (and replay across instances).
      const first = await call(a, 'POST', `/api/v1/tasks?${query}`, { title: 'keyed after' }, { 'Idempotency-Key': 'after-outage' });
      const again = await call(b, 'POST', `/api/v1/tasks?${query}`, { title: 'keyed after' }, { 'Idempotency-Key': 'after-outage' });
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect((await health(b)).redis.rate_limits).toBe('shared');
    } finally {
      loading = false;
      await load;
    }

    // Every acknowledged write exists exactly once; the refused keyed POST does not exist.
    const titles = await titlesOn(a);
    for (const title of acknowledged) expect(titles.filter((t) => t === title), title).toHaveLength(1);
    expect(titles).not.toContain('keyed while down');
    expect(titles.filter((t) => t === 'keyed after')).toHaveLength(1);
    expect(readStatuses.length).toBeGreaterThan(20);
    expect(readStatuses.every((s) => s === 200)).toBe(true);
    expect((await instances[0].runtime.metrics.redisErrors.get()).values[0].value).toBeGreaterThan(0);
  }, 120_000);

  it('a write made while Redis was down is read everywhere after Redis comes back with its old data', async () => {
    const [a, b] = urls;
    const list = `/api/v1/tasks?${query}&limit=100`;
    const titlesOn = async (base: string) => (await call(base, 'GET', list)).body.tasks.map((t: { title: string }) => t.title) as string[];
    await waitFor(async () => (await health(a)).redis.status === 'ready' && (await health(b)).redis.status === 'ready', 20_000, 'Redis ready');
    // B caches the list (a ready answer under the current generation), and Redis keeps that generation.
    await titlesOn(b);
    await titlesOn(b);
    await redis.save();
    await redis.kill();
    await waitFor(async () => (await health(a)).redis.status === 'down' && (await health(b)).redis.status === 'down', 15_000, 'Redis down');
    // A cannot bump the generation now.
    const written = await call(a, 'POST', `/api/v1/tasks?${query}`, { title: 'written while Redis was away' });
    expect(written.status).toBe(201);
    await redis.restart(); // loads the snapshot: the generation B's answer is stamped with is back
    await waitFor(async () => (await health(a)).redis.status === 'ready' && (await health(b)).redis.status === 'ready', 20_000, 'Redis ready again');
    // Each instance bumped the epoch before using the cache again, so B's old answer is never served.
    expect(await titlesOn(b)).toContain('written while Redis was away');
  }, 60_000);

  it('a frozen Redis (SIGSTOP): answers stay within the command timeout, writes are read at once, thawed it recovers', async () => {
    const [a, b] = urls;
    const list = `/api/v1/tasks?${query}&limit=100`;
    const titlesOn = async (base: string) => (await call(base, 'GET', list)).body.tasks.map((t: { title: string }) => t.title) as string[];
    await waitFor(async () => (await health(a)).redis.status === 'ready' && (await health(b)).redis.status === 'ready', 20_000, 'Redis ready');
    await titlesOn(b);
    await titlesOn(b);
    freeze(redis.pid()!);
    try {
      // The connection stays open but nothing answers: each command gives up after 500 ms, and the
      // first failure turns the cache and the shared limits off for everybody on that instance.
      const slowest = Math.max(...(await Promise.all([a, b, a, b].map(async (base) => (await call(base, 'GET', list)).ms))));
      expect(slowest).toBeLessThan(REQUEST_DEADLINE_MS);
      const written = await call(a, 'POST', `/api/v1/tasks?${query}`, { title: 'written while Redis was frozen' });
      expect(written.status).toBe(201);
      expect(await titlesOn(b)).toContain('written while Redis was frozen');
      await waitFor(async () => (await health(a)).redis.status === 'down' && (await health(b)).redis.status === 'down', 15_000, 'both report Redis down');
    } finally {
      thaw(redis.pid()!);
    }
    await waitFor(async () => (await health(a)).redis.status === 'ready' && (await health(b)).redis.status === 'ready', 20_000, 'Redis ready after the thaw');
    expect(await titlesOn(b)).toContain('written while Redis was frozen');
    const keyed = await call(b, 'POST', `/api/v1/tasks?${query}`, { title: 'keyed after the thaw' }, { 'Idempotency-Key': 'after-thaw' });
    expect(keyed.status).toBe(201);
  }, 60_000);
});
