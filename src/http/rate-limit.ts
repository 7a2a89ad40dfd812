/**
 * Rate limits per API key (per client address without a valid key): a per-minute and a per-hour
 * window, each counted in an express-rate-limit `Store` (its MemoryStore, or rate-limit-redis to share
 * counts across instances). One implementation for both request paths: the Express middleware and
 * the fast path for cached answers call `consume()`, so a hit can never skip a limit.
 *
 * Headers: the per-minute window is reported (draft-6 `RateLimit-*` and `X-RateLimit-*`); the
 * per-hour one only refuses.
 */
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { MemoryStore, type Options, type Store, ipKeyGenerator } from 'express-rate-limit';
import { HttpError, sendError } from './error-format.js';

export interface RateLimitOptions {
  perMinute: number;
  perHour: number;
  /** One store per limiter (never shared); default is in memory. */
  stores?: { minute?: Store; hour?: Store };
  /** What to do when a store fails (Redis down): let requests through (true) or refuse them. */
  passOnStoreError?: boolean;
  /** Called when a store fails (for metrics and the once-per-outage log). */
  onStoreError?: (err: unknown) => void;
}

interface Window {
  name: 'minute' | 'hour';
  windowMs: number;
  limit: number;
  store: Store;
}

export interface Verdict {
  allowed: boolean;
  /** Headers to send with the answer (allowed or not). */
  headers: Record<string, string>;
  /** Seconds until the exhausted window resets (refusals only). */
  retryAfter?: number;
  error?: HttpError;
}

/**
 * Routing ignores case (`/API/V1/TASKS` reaches the same handler), so the limited scope does too. Only
 * the versioned API is limited; health probes, metrics, docs and the web app are not.
 */
export function isLimitedPath(path: string): boolean {
  const p = path.toLowerCase();
  return p.startsWith('/api/v1/') || p === '/api/v1';
}

/** The bucket of a request: its key's id, else its client address (IPv6 by /56). */
export function limitKeyOf(keyId: string | undefined, ip: string | undefined): string {
  return keyId ? `key:${keyId}` : `ip:${ipKeyGenerator(ip ?? '')}`;
}

export class RateLimiter {
  private readonly windows: Window[];

  constructor(private readonly options: RateLimitOptions) {
    this.windows = [
      { name: 'minute', windowMs: 60_000, limit: options.perMinute, store: options.stores?.minute ?? new MemoryStore() },
      { name: 'hour', windowMs: 3_600_000, limit: options.perHour, store: options.stores?.hour ?? new MemoryStore() },
    ];
    for (const w of this.windows) void w.store.init?.({ windowMs: w.windowMs, limit: w.limit } as Options);
  }

  /** Counts one request of `bucket` in every window; refuses when any window is exhausted. */
  async consume(bucket: string): Promise<Verdict> {
    const headers: Record<string, string> = {};
    for (const w of this.windows) {
      let hits: number;
      let resetTime: Date | undefined;
      try {
        ({ totalHits: hits, resetTime } = await w.store.increment(bucket));
      } catch (err) {
        this.options.onStoreError?.(err);
        if (this.options.passOnStoreError) continue;
        return { allowed: false, headers, error: new HttpError(503, 'service_unavailable', 'Rate limits cannot be checked right now', 1) };
      }
      const resetSec = Math.max(0, Math.ceil(((resetTime?.getTime() ?? Date.now() + w.windowMs) - Date.now()) / 1000));
      if (w.name === 'minute') {
        const remaining = String(Math.max(0, w.limit - hits));
        headers['RateLimit-Policy'] = `${w.limit};w=${w.windowMs / 1000}`;
        headers['RateLimit-Limit'] = String(w.limit);
        headers['RateLimit-Remaining'] = remaining;
        headers['RateLimit-Reset'] = String(resetSec);
        headers['X-RateLimit-Limit'] = String(w.limit);
        headers['X-RateLimit-Remaining'] = remaining;
        headers['X-RateLimit-Reset'] = String(Math.ceil((resetTime?.getTime() ?? Date.now() + w.windowMs) / 1000));
      }
      if (hits > w.limit) {
        const retryAfter = Math.max(1, resetSec);
        return {
          allowed: false,
          headers,
          retryAfter,
          error: new HttpError(429, 'rate_limited', `Too many requests: at most ${w.limit} per ${w.windowMs / 60_000} minute(s)`, retryAfter),
        };
      }
    }
    return { allowed: true, headers };
  }

  async shutdown(): Promise<void> {
    for (const w of this.windows) await w.store.shutdown?.();
  }
}

/** Applies a verdict's headers to a raw response (both request paths). */
export function applyRateHeaders(res: ServerResponse, verdict: Verdict): void {
  for (const [name, value] of Object.entries(verdict.headers)) res.setHeader(name, value);
}

/** The Express side: limits the versioned API, answers 429 (or 503) in the error format. */
export function rateLimitMiddleware(limiter: RateLimiter): RequestHandler {
  return (req, res, next) => {
    if (!isLimitedPath(req.path)) return next();
    limiter.consume(limitKeyOf(req.apiKey?.id, req.ip)).then((verdict) => {
      applyRateHeaders(res, verdict);
      if (verdict.allowed) next();
      else sendError(req, res, verdict.error!);
    }, next);
  };
}

