/**
 * Cache-aside for task-mcp reads, scoped per workspace. A write through this service bumps its
 * workspace's generation before the response is sent, so a client always reads its own writes;
 * writes made by other task-mcp clients show up once the TTL has passed.
 * A read that was in flight during a write stores its result under the old generation, where
 * nobody looks any more, so it cannot resurrect stale data.
 */
import type { CacheStore } from './store.js';

export interface ReadCacheOptions {
  /** 0 disables caching. */
  ttlMs: number;
  onLookup?: (result: 'hit' | 'miss') => void;
}

export class ReadCache {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly store: CacheStore,
    private readonly options: ReadCacheOptions,
  ) {}

  get enabled(): boolean {
    return this.options.ttlMs > 0;
  }

  async getOrLoad<T>(scope: string, key: string, load: () => Promise<T>): Promise<T> {
    if (!this.enabled) return load();
    const fullKey = `${scope}\u0000${await this.store.generation(scope)}\u0000${key}`;
    const cached = await this.store.get(fullKey);
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
        await this.store.set(fullKey, value, this.options.ttlMs);
        return value;
      })
      .finally(() => this.inFlight.delete(fullKey));
    this.inFlight.set(fullKey, loading);
    return loading;
  }

  /** The scope's current generation (cached answers are stamped with it). */
  generation(scope: string): Promise<number> {
    return this.store.generation(scope);
  }

  async invalidate(scope: string): Promise<void> {
    if (this.enabled) await this.store.bumpGeneration(scope);
  }

  private record(result: 'hit' | 'miss'): void {
    if (result === 'hit') this.hits++;
    else this.misses++;
    this.options.onLookup?.(result);
  }
}
