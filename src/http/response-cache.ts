/**
 * Whole answers of cacheable GETs, ready to send: the serialised body (and its gzip, made on first
 * use), the headers the handler set (ETag included), keyed by the operation and the normalised
 * request, and stamped with the workspace generation of the read cache (src/cache/read-cache.ts). A
 * write bumps that generation before it answers, so an entry made before the write is never served
 * after it — the same read-your-writes rule as the read cache, on this instance and (with Redis
 * generations) on every other. A hit skips mapping, serialising, compression and validation (the
 * request was validated when the entry was made).
 */
import { gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import type { ReadCache } from '../cache/read-cache.js';
import type { Generation } from '../cache/store.js';

/** The operations whose 200 answers depend only on the request and the workspace's data. */
export const CACHEABLE_OPERATIONS: ReadonlySet<string> = new Set([
  'listProjects', 'getProject', 'listTasks', 'searchTasks', 'getNextTasks', 'getBlockedTasks', 'getTaskGraph', 'getTask',
  'getTaskTree', 'getTaskEntities', 'listTags', 'listEntities', 'searchEntities', 'getEntityStats', 'getEntity', 'getEntityTasks',
]);

/** Below this a gzip costs more than it saves (the compression middleware's threshold too). */
const GZIP_MIN_BYTES = 1024;

export interface CachedAnswer {
  generation: Generation;
  body: Buffer;
  gzip?: Buffer;
  /** Content-Type, ETag and whatever else the handler set (never per-request headers). */
  headers: Record<string, string>;
  etag?: string;
}

/** The query string in a canonical order (keys sorted, values of one key kept in their order). */
export function normalisedQuery(search: string): string {
  const params = new URLSearchParams(search);
  const keys = [...new Set(params.keys())].sort();
  return keys.map((k) => params.getAll(k).map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')).join('&');
}

export class ResponseCache {
  private readonly entries: LRUCache<string, CachedAnswer>;
  /** Answers served ready-made. */
  hits = 0;

  constructor(
    private readonly readCache: Pick<ReadCache, 'enabled' | 'generation'>,
    private readonly options: { maxBytes: number; ttlMs: number; onHit?: () => void },
  ) {
    this.entries = new LRUCache({ maxSize: options.maxBytes, ttl: Math.max(1, options.ttlMs), sizeCalculation: (e, k) => k.length + e.body.length + (e.gzip?.length ?? 0) + 200 });
  }

  get enabled(): boolean {
    return this.readCache.enabled;
  }

  /**
   * The key of a request: the operation, its path (case folded, as routing does) and query, and —
   * for the one answer that depends on who asks — the caller's project scope.
   */
  keyOf(operationId: string, path: string, search: string, projectScope?: readonly string[] | null): string {
    const scope = operationId === 'listProjects' ? `|${projectScope ? [...projectScope].sort().join(',') : '*'}` : '';
    return `${operationId}|${path.toLowerCase()}?${normalisedQuery(search)}${scope}`;
  }

  /**
   * The workspace generation now (read it before computing an answer you mean to store), or
   * undefined when it cannot be known (Redis down): such an answer is not stored.
   */
  generation(scope: string): Promise<Generation | undefined> {
    return this.readCache.generation(scope).catch(() => undefined);
  }

  /**
   * A stored answer still valid for the workspace's current generation. When the generation cannot
   * be read (Redis down) nothing is served from here: the entry might predate a write made elsewhere.
   */
  async get(scope: string, key: string): Promise<CachedAnswer | undefined> {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(`${scope}\u0000${key}`);
    if (!entry) return undefined;
    const current = await this.generation(scope);
    if (current === undefined || entry.generation !== current) return undefined;
    this.hits++;
    this.options.onHit?.();
    return entry;
  }

  set(scope: string, key: string, answer: CachedAnswer): void {
    if (this.enabled) this.entries.set(`${scope}\u0000${key}`, answer);
  }

  /** The gzip of an entry (made once), or undefined when the body is too small to be worth it. */
  gzipOf(entry: CachedAnswer): Buffer | undefined {
    if (entry.body.length < GZIP_MIN_BYTES) return undefined;
    entry.gzip ??= gzipSync(entry.body, { level: 6 });
    return entry.gzip;
  }
}
