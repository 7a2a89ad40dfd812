/**
 * Edge protection: security headers, CORS, API-key identification, rate limits and a deadline for
 * every request. Each uses the library made for it; this module only configures them.
 */
import cors from 'cors';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Store } from 'express-rate-limit';
import helmet from 'helmet';
import type { EventTokens } from '../events/tokens.js';
import type { ApiKeyVerifier } from './api-keys.js';
import { HttpError, sendError } from './error-format.js';

/** Swagger UI is served from our own origin: scripts and styles from 'self' (its styles are inline). */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

export function corsPolicy(origins: string[]): RequestHandler {
  return cors({
    // No origins configured: no CORS headers at all, so browsers on other origins are refused.
    origin: origins.length ? origins : false,
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'X-API-Key', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-ID'],
    exposedHeaders: [
      'X-Request-ID', 'ETag', 'Location', 'Retry-After', 'Idempotent-Replayed',
      'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy',
      'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset',
    ],
    maxAge: 3600,
  });
}

/**
 * Works out who is calling before the rate limiter needs it. Only a valid key (or, on the events
 * stream, a valid events token) sets `req.apiKey`; refusing a bad one is left to the OpenAPI security
 * check, which knows which routes are open.
 */
export function identifyApiKey(verifier: ApiKeyVerifier, tokens: EventTokens): RequestHandler {
  return (req, _res, next) => {
    req.apiKey = verifier.verify(req.get('x-api-key'));
    const token = req.query.access_token;
    if (req.apiKey || typeof token !== 'string' || req.path.toLowerCase() !== EVENTS_PATH) return next();
    tokens.verify(token).then((identity) => {
      req.apiKey = identity;
      next();
    }, next);
  };
}

const EVENTS_PATH = '/api/v1/events';

export interface RateLimitOptions {
  perMinute: number;
  perHour: number;
  /** One store per limiter (never shared); default is in memory. */
  stores?: { minute?: Store; hour?: Store };
}

/**
 * Only the versioned API is limited; health probes, metrics and docs are not. Routing ignores case
 * (`/API/V1/TASKS` reaches the same handler), so the check must too.
 */
const limited = (path: string) => {
  const p = path.toLowerCase();
  return p.startsWith('/api/v1/') || p === '/api/v1';
};

export function rateLimits(options: RateLimitOptions): RequestHandler[] {
  const limiter = (windowMs: number, limit: number, headers: boolean, store?: Store) =>
    rateLimit({
      windowMs,
      limit,
      // Only the per-minute limiter reports headers, so the two do not overwrite each other.
      standardHeaders: headers ? 'draft-6' : false,
      legacyHeaders: headers,
      store,
      skip: (req) => !limited(req.path),
      // Per API key; per client address (IPv6 by /56) for requests without a valid key.
      keyGenerator: (req) => (req.apiKey ? `key:${req.apiKey.id}` : `ip:${ipKeyGenerator(req.ip ?? '')}`),
      handler: (req, res, _next, used) => {
        const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        const retryAfter = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + used.windowMs) - Date.now()) / 1000));
        sendError(req, res, new HttpError(429, 'rate_limited', `Too many requests: at most ${limit} per ${windowMs / 60_000} minute(s)`, retryAfter));
      },
    });
  return [limiter(60_000, options.perMinute, true, options.stores?.minute), limiter(3_600_000, options.perHour, false, options.stores?.hour)];
}

/** A request still unanswered after `ms` gets a 504; whatever the handler does later is dropped. */
export function requestDeadline(ms: number): RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      if (!res.headersSent) sendError(req, res, new HttpError(504, 'request_timeout', `The request did not complete within ${ms} ms`));
    }, ms);
    res.on('close', () => clearTimeout(timer));
    next();
  };
}
