/**
 * The Redis connection against a real redis-server that dies and comes back: commands fail fast while
 * it is down (no queue, no hang), the outage is logged once and its end once, errors are counted, and
 * the cache store bypasses itself until it has bumped the epoch after the outage.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisIdempotencyStore } from '../../src/cache/redis-idempotency-store.js';
import { RedisCacheStore } from '../../src/cache/redis-store.js';
import { IdempotencyGuard } from '../../src/http/idempotency.js';
import { OutageLog, RedisConnection } from '../../src/redis/connection.js';
import { waitFor } from '../helpers/processes.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

/** A logger that keeps its lines. */
function recordingLog() {
  const lines: Array<{ level: string; msg: string }> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push({ level: JSON.parse(line).level >= 40 ? 'warn' : 'info', msg: JSON.parse(line).msg }) });
  return { log, lines };
}

describe('OutageLog', () => {
  it('logs the first failure of an outage and its end, nothing in between', () => {
    const { log, lines } = recordingLog();
    const outage = new OutageLog(log, 'redis');
    for (let i = 0; i < 50; i++) outage.failed(new Error('ECONNREFUSED'));
    outage.recovered();
    outage.recovered();
    outage.failed(new Error('again'));
    expect(lines).toEqual([
      { level: 'warn', msg: 'redis unavailable' },
      { level: 'info', msg: 'redis back' },
      { level: 'warn', msg: 'redis unavailable' },
    ]);
  });
});

describe('RedisConnection', () => {
  it('fails fast while Redis is down, logs the outage once, counts errors, and recovers by itself', async () => {
    const { log, lines } = recordingLog();
    let errors = 0;
    const connection = new RedisConnection({ url: redis.url, keyPrefix: 'conn-test:', commandTimeoutMs: 500, pingIntervalMs: 100, onError: () => errors++ }, log);
    const cache = new RedisCacheStore(connection);
    try {
      expect(await connection.connect(5_000)).toBe(true);
      expect(connection.status).toBe('ready');
      const before = await cache.generation('/ws');
      await cache.bumpGeneration('/ws');
      const bumped = await cache.generation('/ws');
      expect(bumped).not.toBe(before);

      await redis.kill();
      await waitFor(() => connection.status === 'down', 5_000, 'the connection noticing');
      for (let i = 0; i < 20; i++) {
        const started = Date.now();
        await expect(connection.client.get(connection.keyOf('x'))).rejects.toThrow();
        expect(Date.now() - started).toBeLessThan(400);
      }
      // The cache bypasses itself: generation() rejects at once.
      await expect(cache.generation('/ws')).rejects.toThrow(/not usable/);
      expect(lines.filter((l) => l.msg === 'redis unavailable')).toHaveLength(1);

      await redis.restart();
      await waitFor(() => connection.status === 'ready', 10_000, 'the connection coming back');
      await waitFor(async () => cache.generation('/ws').then(() => true, () => false), 5_000, 'the cache usable again');
      // An empty server: counters restart at random values, never at an old one.
      expect(await cache.generation('/ws')).not.toBe(bumped);
      expect(lines.filter((l) => l.msg === 'redis back')).toHaveLength(1);
      expect(lines.filter((l) => l.msg === 'redis unavailable')).toHaveLength(1);
      expect(errors).toBeGreaterThan(0);
      expect(await connection.ping()).toBeGreaterThanOrEqual(0);
    } finally {
      await connection.close();
    }
  }, 60_000);
});

describe('RedisIdempotencyStore', () => {
  it('a claim left by an instance that died becomes an unknown outcome after the lease, which the probe settles', async () => {
    const connection = new RedisConnection({ url: redis.url, keyPrefix: `idem-test-${Date.now()}:`, commandTimeoutMs: 500 }, pino({ level: 'silent' }));
    try {
      expect(await connection.connect(5_000)).toBe(true);
      const store = new RedisIdempotencyStore(connection, { leaseMs: 50, maxRecordBytes: 1024 });
      const guard = new IdempotencyGuard(store, { ttlMs: 60_000, waitMs: 1_000, settleMs: 0 });
      // "Instance A" claims the key and never answers (it died while its write ran).
      void guard.run('c', 'k', {}, () => new Promise(() => undefined));
      await waitFor(async () => (await store.claim('c:k', 'other', 60_000)).state === 'pending', 5_000, 'the claim');
      await waitFor(async () => (await store.claim('c:k', 'other', 60_000)).state === 'unknown', 5_000, 'the lease to pass');

      // "Instance B" gets the retry: its probe finds what A created and replays it; nothing runs again.
      let runs = 0;
      const execute = async () => (runs++, { status: 201, body: { id: 99 }, headers: {} });
      const found = { status: 201, body: { id: 1 }, headers: { Location: '/x/1' } };
      const retry = await guard.run('c', 'k', {}, execute, async () => found);
      expect(runs).toBe(0);
      expect(retry).toMatchObject({ status: 201, body: { id: 1 } });

      // A record over the byte bound keeps status and headers, never runs twice, and says why it cannot replay.
      expect(await store.claim('c:big', 'f2', 60_000)).toEqual({ state: 'claimed' });
      await store.complete('c:big', { fingerprint: 'f2', status: 201, body: { text: 'x'.repeat(4096) }, headers: { Location: '/x/2' } }, 60_000);
      const big = await store.claim('c:big', 'f2', 60_000);
      expect(big).toMatchObject({ state: 'done', record: { status: 201, headers: { Location: '/x/2' }, bodyDropped: true } });
    } finally {
      await connection.close();
    }
  });
});
