/**
 * The read cache's entries and workspace generations in Redis, shared by every instance: a write on
 * any instance bumps the workspace's generation before it answers, so the next read anywhere misses.
 *
 * A generation is `<epoch>:<counter>`, both Redis keys:
 * - `gen:<workspace>` is INCRed by each write;
 * - `epoch` is INCRed by an instance after every Redis outage it saw, before it uses the cache again:
 *   a write made while Redis was down could not bump its workspace, and the epoch bump orphans every
 *   entry cached before it (here and in every instance's per-process answer cache, which compares
 *   generations on each hit);
 * - a missing key (Redis restarted without persistence, or evicted it) starts at a random value, so a
 *   generation never comes back to one that entries were stamped with before.
 * While this instance has seen Redis fail and not yet bumped the epoch, `generation()` rejects and
 * reads bypass the cache (src/cache/read-cache.ts): no entry is served that may predate a write.
 * Cache entries live CACHE_TTL_MS (PX), which also bounds the one case the epoch cannot catch: a
 * write on an instance cut off from Redis while other instances still reach it.
 */
import { randomInt } from 'node:crypto';
import type { Result } from 'ioredis';
import type { RedisConnection } from '../redis/connection.js';
import type { CacheStore, Generation } from './store.js';

/** A random start far from any counter seen before (JS-safe: < 2^47, plus increments). */
const randomStart = () => String(randomInt(1, 2 ** 47));

/** GET a counter, creating it at a random start when it is missing. */
const READ_COUNTER = `
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'NX')
  v = redis.call('GET', KEYS[1])
end
return v`;

/** The generation of a workspace in one round trip: the epoch and the workspace's counter. */
const READ_GENERATION = `
local e = redis.call('GET', KEYS[1])
if not e then redis.call('SET', KEYS[1], ARGV[1], 'NX'); e = redis.call('GET', KEYS[1]) end
local g = redis.call('GET', KEYS[2])
if not g then redis.call('SET', KEYS[2], ARGV[2], 'NX'); g = redis.call('GET', KEYS[2]) end
return e .. ':' .. g`;

/** INCR a counter, creating it at a random start first when it is missing. */
const BUMP_COUNTER = `
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end
return redis.call('INCR', KEYS[1])`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    tvaReadCounter(key: string, start: string): Result<string, Context>;
    tvaReadGeneration(epochKey: string, genKey: string, epochStart: string, genStart: string): Result<string, Context>;
    tvaBumpCounter(key: string, start: string): Result<number, Context>;
  }
}

export class RedisCacheStore implements CacheStore {
  /** False from this instance's first Redis failure until it has bumped the epoch afterwards. */
  private usable = true;

  constructor(
    private readonly redis: RedisConnection,
    /** Called after the epoch bump that ends an outage (e.g. to drop per-process answers). */
    private readonly onReset?: () => void,
  ) {
    const client = redis.client;
    client.defineCommand('tvaReadCounter', { numberOfKeys: 1, lua: READ_COUNTER });
    client.defineCommand('tvaReadGeneration', { numberOfKeys: 2, lua: READ_GENERATION });
    client.defineCommand('tvaBumpCounter', { numberOfKeys: 1, lua: BUMP_COUNTER });
    redis.onOutage(() => (this.usable = false));
    redis.onRecovery(() => this.reset());
  }

  /** Whether the cache is used now (false while Redis is down or recovering). */
  get isUsable(): boolean {
    return this.usable && this.redis.status === 'ready';
  }

  async get(key: string): Promise<unknown> {
    if (!this.isUsable) return undefined;
    const raw = await this.guard(this.redis.client.get(this.redis.keyOf('cache', key)));
    return raw === null ? undefined : JSON.parse(raw);
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    if (!this.isUsable) return;
    await this.guard(this.redis.client.set(this.redis.keyOf('cache', key), JSON.stringify(value), 'PX', Math.max(1, ttlMs)));
  }

  async generation(scope: string): Promise<Generation> {
    if (!this.isUsable) throw new Error('the Redis cache is not usable right now');
    return this.guard(this.redis.client.tvaReadGeneration(this.redis.keyOf('epoch'), this.redis.keyOf('gen', scope), randomStart(), randomStart()));
  }

  async bumpGeneration(scope: string): Promise<void> {
    // Tried even while unusable: if it lands, fine; if not, the epoch bump at recovery covers it.
    await this.guard(this.redis.client.tvaBumpCounter(this.redis.keyOf('gen', scope), randomStart()));
  }

  /** Orphans everything cached before now, on every instance; then the cache is used again. */
  async reset(): Promise<void> {
    try {
      await this.redis.client.tvaBumpCounter(this.redis.keyOf('epoch'), randomStart());
    } catch (err) {
      // Still unusable; the next recovery (or the next successful ping) tries again.
      this.redis.failed(err);
      return;
    }
    this.onReset?.();
    this.usable = true;
  }

  /** A failed command marks the cache unusable (until the epoch bump) and is reported once per outage. */
  private async guard<T>(command: Promise<T>): Promise<T> {
    try {
      return await this.redis.guard(command);
    } catch (err) {
      this.usable = false;
      throw err;
    }
  }
}
