/**
 * Serialises check-then-write sequences on one resource (the `If-Match` fallback for backends without
 * our compare-and-set tools). In memory by default: that makes the check and the write one step for
 * every request through this process; a shared implementation (Redis) does the same across instances.
 */
export interface ResourceLocks {
  /** Runs `fn` while holding the lock for `key`; waits for earlier holders. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export class MemoryResourceLocks implements ResourceLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await run;
    } finally {
      // The last holder cleans up, so the map only holds keys with work queued.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
