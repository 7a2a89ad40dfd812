/**
 * Serialises check-then-write sequences on one resource (the `If-Match` fallback for backends without
 * our compare-and-set tools). In memory: that makes the check and the write one step for every request
 * through this process, not across instances (the embedded backend needs no lock: its `*_checked`
 * tools are atomic in SQLite). docs/running-several-instances.md says what that means for a strict
 * backend behind several instances.
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
