/**
 * Events tokens in Redis (`evt:<digest>`, PX = the token's lifetime), so a token issued by one instance
 * is accepted by every other: EventSource reconnects may land anywhere behind a load balancer. While
 * Redis is down, issuing and checking tokens fail with 503 (src/events/tokens.ts), never a false 401.
 */
import type { ApiKeyIdentity } from '../http/api-keys.js';
import type { RedisConnection } from '../redis/connection.js';
import type { TokenStore } from './tokens.js';

export class RedisTokenStore implements TokenStore {
  constructor(private readonly redis: RedisConnection) {}

  async put(digest: string, identity: ApiKeyIdentity, ttlMs: number): Promise<void> {
    await this.redis.guard(this.redis.client.set(this.redis.keyOf('evt', digest), JSON.stringify(identity), 'PX', ttlMs));
  }

  async get(digest: string): Promise<ApiKeyIdentity | undefined> {
    const raw = await this.redis.guard(this.redis.client.get(this.redis.keyOf('evt', digest)));
    return raw === null ? undefined : (JSON.parse(raw) as ApiKeyIdentity);
  }
}
