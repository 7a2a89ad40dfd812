/**
 * The seams of shared state with small fakes: a store that fails (Redis down) never makes the guard
 * run a write twice or fail a write that was applied; the read cache bypasses a failing store; the
 * cluster refuses to start without Redis; the Redis settings are validated.
 */
import { describe, expect, it } from 'vitest';
import { ReadCache } from '../../src/cache/read-cache.js';
import type { CacheStore, ClaimResult, IdempotencyStore } from '../../src/cache/store.js';
import { clusterProblem } from '../../src/cluster.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { UnavailableError } from '../../src/domain/errors.js';
import { IdempotencyGuard } from '../../src/http/idempotency.js';

const down = () => Promise.reject(new Error('redis down'));

class FailingIdempotencyStore implements IdempotencyStore {
  failClaim = true;
  failComplete = true;
  claim(): Promise<ClaimResult> {
    return this.failClaim ? down() : Promise.resolve({ state: 'claimed' });
  }
  complete(): Promise<void> {
    return this.failComplete ? down() : Promise.resolve();
  }
  markUnknown = down;
  release = down;
}

describe('IdempotencyGuard over a failing shared store', () => {
  const options = { ttlMs: 60_000, waitMs: 1_000, settleMs: 60_000 };

  it('answers 503 + Retry-After when the key cannot be claimed, without running the write', async () => {
    let runs = 0;
    const guard = new IdempotencyGuard(new FailingIdempotencyStore(), options);
    const attempt = guard.run('c', 'k', {}, async () => (runs++, { status: 201, body: {}, headers: {} }));
    await expect(attempt).rejects.toBeInstanceOf(UnavailableError);
    await expect(attempt).rejects.toMatchObject({ retryAfter: 1 });
    expect(runs).toBe(0);
  });

  it('answers a write that ran even when its record cannot be kept', async () => {
    const store = new FailingIdempotencyStore();
    store.failClaim = false;
    const guard = new IdempotencyGuard(store, options);
    expect(await guard.run('c', 'k', {}, async () => ({ status: 201, body: { id: 7 }, headers: {} }))).toMatchObject({ status: 201, body: { id: 7 }, replayed: false });
  });

  it('keeps the write\'s own error when freeing the key fails too', async () => {
    const store = new FailingIdempotencyStore();
    store.failClaim = false;
    const guard = new IdempotencyGuard(store, options);
    await expect(guard.run('c', 'k', {}, () => Promise.reject(new Error('bad input')))).rejects.toThrow('bad input');
  });
});

describe('ReadCache over a failing store', () => {
  it('bypasses the cache (loads every time) and never fails an invalidation', async () => {
    const store: CacheStore = { get: down, set: down, generation: down, bumpGeneration: down };
    const cache = new ReadCache(store, { ttlMs: 60_000 });
    let loads = 0;
    for (let i = 0; i < 3; i++) expect(await cache.getOrLoad('/ws', 'k', async () => ++loads)).toBe(i + 1);
    expect(cache.bypasses).toBe(3);
    await expect(cache.invalidate('/ws')).resolves.toBeUndefined();
  });
});

describe('cluster and Redis settings', () => {
  it('refuses WEB_CONCURRENCY > 1 without REDIS_URL, with a message that says what to do', () => {
    expect(clusterProblem({ WEB_CONCURRENCY: 1, REDIS_URL: undefined })).toBeUndefined();
    expect(clusterProblem({ WEB_CONCURRENCY: 4, REDIS_URL: 'redis://127.0.0.1:6379' })).toBeUndefined();
    expect(clusterProblem({ WEB_CONCURRENCY: 2, REDIS_URL: undefined })).toMatch(/^WEB_CONCURRENCY=2 needs REDIS_URL: .*\(set REDIS_URL, or WEB_CONCURRENCY=1\)$/);
  });

  it('validates REDIS_URL and WEB_CONCURRENCY, and defaults the prefix', () => {
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => loadConfig({ WEB_CONCURRENCY: '0' })).toThrow(/WEB_CONCURRENCY/);
    const config = loadConfig({ REDIS_URL: 'redis://:secret@cache.internal:6380/2' });
    expect(config).toMatchObject({ REDIS_URL: 'redis://:secret@cache.internal:6380/2', REDIS_KEY_PREFIX: 'tva:', REDIS_COMMAND_TIMEOUT_MS: 1000, WEB_CONCURRENCY: 1 });
  });
});
