/** The in-process DedupStore: recent change keys in a bounded LRU with a TTL. */
import { LRUCache } from 'lru-cache';
import type { DedupStore } from './change-publisher.js';

export class MemoryDedupStore implements DedupStore {
  private readonly seen = new LRUCache<string, true>({ max: 50_000 });

  async claim(key: string, ttlMs: number): Promise<boolean> {
    if (this.seen.has(key)) return false;
    this.seen.set(key, true, { ttl: ttlMs });
    return true;
  }
}
