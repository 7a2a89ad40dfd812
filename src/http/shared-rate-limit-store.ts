/**
 * A rate-limit window counted in Redis (rate-limit-redis), so a limit is per key across all
 * instances, with a per-process fallback while Redis is down: then each instance counts on its own
 * (a key gets at most N times its limit over N instances) rather than refusing everything (fail
 * closed) or counting nothing (fail open). `/health` shows which (`redis.rate_limits`).
 *
 * rate-limit-redis loads its Lua scripts in `init()` and keeps the promise: a failed load (Redis down
 * at start) would fail every later call. So a failure marks the store for a fresh `init()` before its
 * next use; a Redis that restarted (scripts gone) is handled by the library itself (NOSCRIPT reload).
 */
import { MemoryStore, type IncrementResponse, type Options, type Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { RedisConnection } from '../redis/connection.js';

export class SharedRateLimitStore implements Store {
  private readonly shared: RedisStore;
  private readonly local = new MemoryStore();
  private options: Options | undefined;
  private needsInit = true;
  /** Each limiter needs its own prefix, or two windows would count into one key. */
  readonly prefix: string;

  constructor(
    private readonly redis: RedisConnection,
    name: string,
  ) {
    this.prefix = redis.keyOf('rl', name, '');
    this.shared = new RedisStore({
      prefix: this.prefix,
      sendCommand: (command: string, ...args: string[]) => redis.client.call(command, ...args) as Promise<RedisReply>,
    });
  }

  /** Never rejects (the limiter calls it without waiting). */
  async init(options: Options): Promise<void> {
    this.options = options;
    this.local.init(options);
    if (this.redis.status === 'ready') await this.initShared();
  }

  async increment(key: string): Promise<IncrementResponse> {
    if (this.redis.status === 'ready' && (!this.needsInit || (await this.initShared()))) {
      try {
        return await this.shared.increment(key);
      } catch (err) {
        this.redis.failed(err);
        this.needsInit = true;
      }
    }
    return this.local.increment(key);
  }

  async decrement(key: string): Promise<void> {
    if (this.redis.status === 'ready') await this.shared.decrement(key).catch(() => undefined);
    await this.local.decrement(key);
  }

  async resetKey(key: string): Promise<void> {
    if (this.redis.status === 'ready') await this.shared.resetKey(key).catch(() => undefined);
    await this.local.resetKey(key);
  }

  async shutdown(): Promise<void> {
    await this.local.shutdown();
  }

  private async initShared(): Promise<boolean> {
    if (!this.options) return false;
    try {
      await this.shared.init(this.options);
      this.needsInit = false;
      return true;
    } catch (err) {
      this.redis.failed(err);
      this.needsInit = true;
      return false;
    }
  }
}
