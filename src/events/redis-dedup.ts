/**
 * Which changes were announced already, shared by every instance (`seen:<change key>`, SET NX PX): the
 * instance that made a write and the change watchers of the others, which find the same write in the
 * shared store, announce it once between them. A failure throws; the change publisher then announces
 * anyway (a duplicate event is harmless, a missed one is not).
 */
import type { RedisConnection } from '../redis/connection.js';
import type { DedupStore } from './change-publisher.js';

export class RedisDedupStore implements DedupStore {
  constructor(private readonly redis: RedisConnection) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.guard(this.redis.client.set(this.redis.keyOf('seen', key), '1', 'PX', ttlMs, 'NX'))) === 'OK';
  }
}
