/**
 * Edge protection: security headers (helmet), CORS, API-key identification and a deadline for every
 * request; rate limits are in rate-limit.ts. Each uses the library made for it.
 */
import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { EventTokens } from '../events/tokens.js';
import type { ApiKeyVerifier } from './api-keys.js';
import { HttpError, sendError } from './error-format.js';

const helmetMiddleware = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // Swagger UI sets inline styles; scripts stay 'self' only (the web app has no inline script).
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      // Served over plain HTTP (TLS ends at a proxy, if any): asking browsers to upgrade would break
      // access by address on a LAN.
      upgradeInsecureRequests: null,
    },
  },
  crossOriginResourcePolicy: { policy: 'same-origin' },
});

/**
 * helmet's headers, computed once: they do not depend on the request, so both request paths (Express
 * and the fast path for cached answers) set the same list without running helmet per request.
 */
export const SECURITY_HEADERS: ReadonlyArray<[string, string]> = (() => {
  const captured: Array<[string, string]> = [];
  const res = {
    setHeader: (name: string, value: string | number | string[]) => captured.push([name, String(value)]),
    removeHeader: () => undefined,
    getHeader: () => undefined,
  };
  helmetMiddleware({} as never, res as never, () => undefined);
  return captured;
})();

export function applySecurityHeaders(res: { setHeader(name: string, value: string): unknown }): void {
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
}

export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    applySecurityHeaders(res);
    next();
  };
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
