/**
 * One structured line per request: method, URL (credentials in the query redacted), route template,
 * status, duration, request id and API key id. Headers are never logged: they carry the key. One
 * implementation for both request paths (Express and the fast path for cached answers); it writes
 * straight to the base logger, without the per-request child logger pino-http makes.
 */
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { routeTemplate } from './http-metrics.js';
import { onFinished } from './on-finished.js';

export interface RequestFacts {
  method: string;
  url: string;
  route: string;
  status: number;
  ms: number;
  requestId: string;
  keyId?: string;
}

/** The events token is a credential: it never reaches the log. */
const redactUrl = (url: string) => url.replace(/([?&]access_token=)[^&]*/gi, '$1[redacted]');

export function logRequest(log: Logger, f: RequestFacts): void {
  if (!log.isLevelEnabled('info')) return;
  const line = {
    req: { method: f.method, url: redactUrl(f.url) },
    res: { statusCode: f.status },
    responseTime: Math.round(f.ms * 1000) / 1000,
    request_id: f.requestId,
    route: f.route,
    api_key_id: f.keyId,
  };
  if (f.status >= 500) log.error(line, 'request errored');
  else log.info(line, 'request completed');
}

export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    onFinished(req, res, (ms) =>
      logRequest(log, {
        method: req.method,
        url: req.originalUrl,
        route: routeTemplate(req as Request),
        status: res.statusCode,
        ms,
        requestId: req.requestId,
        keyId: req.apiKey?.id,
      }),
    );
    next();
  };
}
