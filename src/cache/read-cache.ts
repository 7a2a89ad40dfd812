/**
 * Cache-aside for task-mcp reads, scoped per workspace. A write through this service bumps its
 * workspace's generation before the response is sent, so a client always reads its own writes;
 * writes made by other task-mcp clients show up once the TTL has passed.
 * A read that was in flight during a write stores its result under the old generation, where
 * nobody looks any more, so it cannot resurrect stale data.
 * A shared store (Redis) can fail: then reads bypass the cache (straight to the backend, never a
 * possibly stale entry) and a failed invalidation does not fail the write that was already applied
 * (the Redis store orphans every entry when it recovers: src/cache/redis-store.ts).
 */
import type { CacheStore, Generation } from './store.js';

export interface ReadCacheOptions {
  /** 0 disables caching. */
  ttlMs: number;
  onLookup?: (result: 'hit' | 'miss' | 'bypass') => void;
}

export class ReadCache {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  hits = 0;
  misses = 0;
  /** Reads served without the cache because its store could not be used. */
  bypasses = 0;

  constructor(
    private readonly store: CacheStore,
    private readonly options: ReadCacheOptions,
  ) {}

  get enabled(): boolean {
    return this.options.ttlMs > 0;
  }

  async getOrLoad<T>(scope: string, key: string, load: () => Promise<T>): Promise<T> {
    if (!this.enabled) return load();
    let generation: Generation;
    try {
      generation = await this.store.generation(scope);
    } catch {
      this.record('bypass');
      return load();
    }
    const fullKey = `${scope}\u0000${generation}\u0000${key}`;
    const cached = await this.store.get(fullKey).catch(() => undefined);
    if (cached !== undefined) {
      this.record('hit');
      return cached as T;
    }
    // Concurrent misses for the same key share one backend call.
    const pending = this.inFlight.get(fullKey);
    if (pending) {
      this.record('hit');
      return pending as Promise<T>;
    }
    this.record('miss');
    const loading = load()
      .then(async (value) => {
        await this.store.set(fullKey, value, this.options.ttlMs).catch(() => undefined);
        return value;
      })
      .finally(() => this.inFlight.delete(fullKey));
    this.inFlight.set(fullKey, loading);
    return loading;
  }

  /** The scope's current generation (cached answers are stamped with it); rejects when unknown. */
  generation(scope: string): Promise<Generation> {
    return this.store.generation(scope);
  }

  /** Never throws: the write it follows was applied (a store that failed handles its own recovery). */
  async invalidate(scope: string): Promise<void> {
    if (this.enabled) await this.store.bumpGeneration(scope).catch(() => undefined);
  }

  private record(result: 'hit' | 'miss' | 'bypass'): void {
    if (result === 'hit') this.hits++;
    else if (result === 'miss') this.misses++;
    else this.bypasses++;
    this.options.onLookup?.(result);
  }
}
