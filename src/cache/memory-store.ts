/** Single-instance stores, bounded in size (LRU) and time (TTL). */
import { LRUCache } from 'lru-cache';
import type { CacheStore, ClaimResult, Generation, IdempotencyRecord, IdempotencyStore } from './store.js';

export class MemoryCacheStore implements CacheStore {
  private readonly entries: LRUCache<string, { value: unknown }>;
  private readonly generations = new Map<string, number>();

  constructor(maxEntries: number) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  async get(key: string): Promise<unknown> {
    return this.entries.get(key)?.value;
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.entries.set(key, { value }, { ttl: ttlMs });
  }

  async generation(scope: string): Promise<Generation> {
    return this.generations.get(scope) ?? 0;
  }

  async bumpGeneration(scope: string): Promise<void> {
    this.generations.set(scope, (this.generations.get(scope) ?? 0) + 1);
  }
}

type Slot = Exclude<ClaimResult, { state: 'claimed' }>;

/**
 * Idempotency records, bounded by count and by bytes (each keeps the answer a replay returns, which
 * can be large): the least recently used go first.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly slots: LRUCache<string, Slot>;

  constructor(maxKeys: number, maxBytes = 64 * 1024 * 1024) {
    this.slots = new LRUCache({
      max: maxKeys,
      maxSize: maxBytes,
      sizeCalculation: (slot, key) => key.length + (slot.state === 'done' ? JSON.stringify(slot.record).length : 100),
    });
  }

  async claim(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult> {
    const slot = this.slots.get(key);
    if (slot) return slot;
    this.slots.set(key, { state: 'pending', fingerprint }, { ttl: ttlMs });
    return { state: 'claimed' };
  }

  async complete(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
    this.slots.set(key, { state: 'done', record }, { ttl: ttlMs });
  }

  /** Bytes the records take (bounded by maxBytes). */
  get bytes(): number {
    return this.slots.calculatedSize;
  }

  async markUnknown(key: string, fingerprint: string, since: number, ttlMs: number): Promise<void> {
    this.slots.set(key, { state: 'unknown', fingerprint, since }, { ttl: ttlMs });
  }

  async release(key: string): Promise<void> {
    this.slots.delete(key);
  }
}
