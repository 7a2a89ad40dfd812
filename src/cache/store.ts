/**
 * Where cached reads and idempotency records live. The service only sees these interfaces, so a
 * shared store (Redis) can replace the in-memory one for several instances without other changes.
 */
/** A scope's generation: any value that never repeats for that scope (compared with ===). */
export type Generation = number | string;

export interface CacheStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /**
   * The current generation of a scope (a workspace); entries are keyed by it. Rejects when it cannot
   * be known (a shared store that is down): callers then bypass the cache.
   */
  generation(scope: string): Promise<Generation>;
  /** Moves a scope to a new generation, which orphans every entry cached under the old one. */
  bumpGeneration(scope: string): Promise<void>;
}

export interface IdempotencyRecord {
  fingerprint: string;
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** The answer was too large to keep (a shared store bounds each record): only status and headers remain. */
  bodyDropped?: boolean;
}

export type ClaimResult =
  | { state: 'claimed' }
  | { state: 'pending'; fingerprint: string }
  /** The request holding the key failed after its write was sent (`since`: when it started, epoch ms). */
  | { state: 'unknown'; fingerprint: string; since: number }
  | { state: 'done'; record: IdempotencyRecord };

export interface IdempotencyStore {
  /** Claims `key` for a new request (atomically), or reports the request that already holds it. */
  claim(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult>;
  complete(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void>;
  /** Keeps the claim of a request whose write may or may not have been applied. */
  markUnknown(key: string, fingerprint: string, since: number, ttlMs: number): Promise<void>;
  /** Frees a claim whose request provably did nothing, so a retry runs again. */
  release(key: string): Promise<void>;
}
