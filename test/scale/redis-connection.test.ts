/**
 * The Redis connection against a real redis-server that dies and comes back: commands fail fast while
 * it is down (no queue, no hang), the outage is logged once and its end once, errors are counted, and
 * the cache store bypasses itself until it has bumped the epoch after the outage.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCacheStore } from '../../src/cache/redis-store.js';
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
