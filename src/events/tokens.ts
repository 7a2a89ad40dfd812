/**
 * Short-lived tokens for `EventSource`, which cannot send an X-API-Key header: `POST
 * /api/v1/events/tokens` trades the key for a random token that `GET /api/v1/events?access_token=…`
 * accepts for a minute. Only the token's digest is stored; the token carries the key's scopes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { UnavailableError } from '../domain/errors.js';
import type { ApiKeyIdentity } from '../http/api-keys.js';

export const EVENTS_TOKEN_TTL_MS = 60_000;

export interface TokenStore {
  put(digest: string, identity: ApiKeyIdentity, ttlMs: number): Promise<void>;
  get(digest: string): Promise<ApiKeyIdentity | undefined>;
}

export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new LRUCache<string, ApiKeyIdentity>({ max: 10_000 });

  async put(digest: string, identity: ApiKeyIdentity, ttlMs: number): Promise<void> {
    this.tokens.set(digest, identity, { ttl: ttlMs });
  }

  async get(digest: string): Promise<ApiKeyIdentity | undefined> {
    return this.tokens.get(digest);
  }
}

const digestOf = (token: string) => createHash('sha256').update(token).digest('hex');

export class EventTokens {
  constructor(private readonly store: TokenStore) {}

  async issue(identity: ApiKeyIdentity): Promise<{ token: string; expires_at: string }> {
    const token = `evt_${randomBytes(24).toString('base64url')}`;
    await this.store.put(digestOf(token), identity, EVENTS_TOKEN_TTL_MS).catch(() => {
      throw new UnavailableError('Events tokens cannot be issued right now: retry later, or send X-API-Key', 1);
    });
    return { token, expires_at: new Date(Date.now() + EVENTS_TOKEN_TTL_MS).toISOString() };
  }

  verify(token: string | undefined): Promise<ApiKeyIdentity | undefined> {
    if (!token || !token.startsWith('evt_')) return Promise.resolve(undefined);
    // A store that is down is a 503 (retry), not a 401 (which would tell the client its token is bad).
    return this.store.get(digestOf(token)).catch(() => {
      throw new UnavailableError('Events tokens cannot be checked right now: retry later', 1);
    });
  }
}
