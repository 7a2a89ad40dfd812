/**
 * Three service instances on one task-mcp store and one Redis behave as one: a write on any instance
 * is seen by the next read on every other (through their per-process answer caches too), one
 * Idempotency-Key runs once across instances, a rate limit counts across them, and an events token
 * issued by one is accepted by another, and a change made on one reaches the event streams of the
 * others (and resumes there by id). The change watcher is off (CHANGE_POLL_MS=0) and the TTL long, so
 * only Redis can make the new data and the events travel.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfiguredApp } from '../../src/app.js';
import { ApiKeyVerifier } from '../../src/http/api-keys.js';
import { SharedRateLimitStore } from '../../src/http/shared-rate-limit-store.js';
import { API_KEY, type Harness } from '../helpers/api-harness.js';
import { startInstances } from '../helpers/instances.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { openSse } from '../helpers/sse-client.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

let redis: RedisServer;
let home: string;
let instances: Harness[] = [];
let urls: string[] = [];
let query: string;

const headers = { 'X-API-Key': API_KEY, 'Content-Type': 'application/json' };
const get = (base: string, p: string) => fetch(`${base}${p}`, { headers });
const send = (base: string, method: string, p: string, body: unknown, extra: Record<string, string> = {}) =>
  fetch(`${base}${p}`, { method, headers: { ...headers, ...extra }, body: JSON.stringify(body) });
const redisErrors = async () => (await Promise.all(instances.map(async (h) => (await h.runtime.metrics.redisErrors.get()).values.reduce((n, v) => n + v.value, 0)))).reduce((a, b) => a + b, 0);
const answersServed = async (h: Harness) => (await h.runtime.metrics.cacheRequests.get()).values.find((v) => v.labels.result === 'answer')?.value ?? 0;

beforeAll(async () => {
  redis = await startRedis();
  home = mkdtempSync(path.join(os.tmpdir(), 'tva-scale-'));
  const env = {
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: 'scale-test:',
    CACHE_TTL_MS: '600000',
    CHANGE_POLL_MS: '0',
    // A Redis reply slower than the command timeout counts as an outage (its own tests cover that): on a
    // loaded machine the default 1 s can pass, and limits would then fall back to per-instance counts.
    REDIS_COMMAND_TIMEOUT_MS: '10000',
  };
  try {
    ({ instances, urls, query } = await startInstances(3, home, env));
  } catch (err) {
    await redis.stop();
    throw err;
  }
}, 90_000);

afterAll(async () => {
  await Promise.allSettled(instances.map((h) => h.close()));
  await redis?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('three instances on one Redis', () => {
  it('reports Redis and the worker in /health', async () => {
    const health = (await (await get(urls[1], '/health')).json()) as any;
    expect(health.redis).toMatchObject({ configured: true, status: 'ready', rate_limits: 'shared' });
    expect(health.worker).toEqual({ pid: process.pid, id: 0 });
    expect(await (await get(urls[1], '/health/ready')).json()).toEqual({ status: 'ready', redis: 'ready' });
  });

  it('write on A, read on B and C at once: always the new data, also through their answer caches', async () => {
    const [a, b, c] = urls;
    const created = (await (await send(a, 'POST', `/api/v1/tasks?${query}`, { title: 'v0' })).json()) as any;
    const task = `/api/v1/tasks/${created.id}?${query}`;
    const list = `/api/v1/tasks?${query}&limit=100`;
    const hitsBefore = await answersServed(instances[1]) + await answersServed(instances[2]);
    const iterations = 150;
    for (let i = 1; i <= iterations; i++) {
      // B and C cache the current answers (the second read of each is served ready-made).
      await Promise.all([b, c].flatMap((base) => [get(base, task), get(base, list), get(base, task), get(base, list)]));
      const patched = await send(a, 'PATCH', task, { title: `v${i}` });
      expect(patched.status).toBe(200);
      const reads = await Promise.all([b, c, b, c].flatMap((base) => [get(base, task), get(base, list)]));
      for (const [n, res] of reads.entries()) {
        expect(res.status).toBe(200);
        const body = (await res.json()) as any;
        const title = n % 2 === 0 ? body.title : body.tasks.find((t: { id: number }) => t.id === created.id).title;
        expect(title, `iteration ${i}, read ${n}`).toBe(`v${i}`);
      }
    }
    // The answer caches were really in play: each iteration's warm-up served hits on B and C.
    const hitsAfter = await answersServed(instances[1]) + await answersServed(instances[2]);
    expect(hitsAfter - hitsBefore).toBeGreaterThanOrEqual(iterations * 2);
  }, 120_000);

  it('one Idempotency-Key sent to all three at once: one task, three identical answers', async () => {
    const key = `idem-${Date.now()}`;
    const title = `created once ${key}`;
    const answers = await Promise.all(urls.map((base) => send(base, 'POST', `/api/v1/tasks?${query}`, { title }, { 'Idempotency-Key': key })));
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    expect(new Set(answers.map((r) => r.headers.get('location'))).size).toBe(1);
    expect(answers.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
    const found = (await (await get(urls[2], `/api/v1/tasks/search?${query}&q=${encodeURIComponent(key)}`)).json()) as any;
    expect(found.tasks.filter((t: { title: string }) => t.title === title)).toHaveLength(1);
  });

  it('a rate limit of 100/min over 300 requests spread across the instances: exactly 100 pass', async () => {
    // Apps with a small limit over the same runtimes, counting in their own Redis keys.
    const servers: Server[] = [];
    const run = Date.now();
    try {
      const limited = await Promise.all(
        instances.map(async (h) => {
          const connection = h.runtime.redisConnection!;
          const app = createConfiguredApp({ ...h.config, RATE_LIMIT_PER_MINUTE: 100 }, h.runtime, new ApiKeyVerifier(h.config.API_KEYS, h.config.API_KEY_HASHES, h.config.keyScopes), pino({ level: 'silent' }), {
            rateLimit: {
              perMinute: 100,
              perHour: 1000,
              stores: { minute: new SharedRateLimitStore(connection, `test-minute-${run}`), hour: new SharedRateLimitStore(connection, `test-hour-${run}`) },
            },
          });
          const server = createServer(app.handle).listen(0, '127.0.0.1');
          servers.push(server);
          await new Promise((r) => server.once('listening', r));
          return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        }),
      );
      const errorsBefore = await redisErrors();
      const statuses = await Promise.all(Array.from({ length: 300 }, (_, i) => get(limited[i % 3], `/api/v1/tasks?${query}&limit=1`).then((r) => r.status)));
      // Exact only while Redis answered every count (a failure falls back to per-instance counting).
      expect(await redisErrors(), 'Redis failed during the run').toBe(errorsBefore);
      expect(statuses.filter((s) => s === 200)).toHaveLength(100);
      expect(statuses.filter((s) => s === 429)).toHaveLength(200);
    } finally {
      for (const s of servers) {
        s.closeAllConnections();
        s.close();
      }
    }
  });

  it('a write on A reaches the event streams of B and C once, with ids that resume on any instance', async () => {
    const sse = (base: string, extra: Record<string, string> = {}) => openSse(`${base}/api/v1/events?${query}`, { 'X-API-Key': API_KEY, ...extra });
    const [b, c] = await Promise.all([sse(urls[1]), sse(urls[2])]);
    try {
      const created = (await (await send(urls[0], 'POST', `/api/v1/tasks?${query}`, { title: 'announced everywhere' })).json()) as { id: number };
      const isIt = (e: { event: string; data: any }) => e.event === 'task.created' && e.data.task_id === created.id;
      const [onB, onC] = await Promise.all([b.waitFor(isIt, 2_000, 'the create on B'), c.waitFor(isIt, 2_000, 'the create on C')]);
      expect(onB.id).toBe(onC.id);
      expect(onB.data.source).toBe('api');
      // An update on C, then a client that saw only the create resumes on A: it gets the update.
      await send(urls[2], 'PATCH', `/api/v1/tasks/${created.id}?${query}`, { title: 'renamed on C' });
      await b.waitFor((e) => e.event === 'task.updated' && e.data.task_id === created.id, 2_000, 'the update on B');
      const resumed = await sse(urls[0], { 'Last-Event-ID': onB.id! });
      try {
        const replayed = await resumed.waitFor((e) => e.event === 'task.updated' && e.data.task_id === created.id, 2_000, 'the replayed update on A');
        expect(replayed.data.changed).toContain('title');
        expect(resumed.events.some((e) => e.event === 'stream.reset')).toBe(false);
      } finally {
        resumed.close();
      }
      expect(b.events.filter(isIt)).toHaveLength(1);
    } finally {
      b.close();
      c.close();
    }
  });

  it('an events token issued on A is accepted on B', async () => {
    const issued = await send(urls[0], 'POST', '/api/v1/events/tokens', {});
    expect(issued.status).toBe(201);
    const { token } = (await issued.json()) as { token: string };
    const abort = new AbortController();
    try {
      const stream = await fetch(`${urls[1]}/api/v1/events?${query}&access_token=${token}`, { signal: abort.signal });
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect((await fetch(`${urls[2]}/api/v1/events?${query}&access_token=evt_not-a-token`)).status).toBe(401);
    } finally {
      abort.abort();
    }
  });
});
