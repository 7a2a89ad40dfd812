/**
 * One structured line per request (pino-http): method, URL, route template, status, duration,
 * request id and API key id. Headers are never logged: they carry the key.
 */
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { routeTemplate } from './http-metrics.js';

export function requestLog(log: Logger): RequestHandler {
  const withRouteAndCaller = (req: Request, val: object) => ({ ...val, route: routeTemplate(req), api_key_id: req.apiKey?.id });
  return pinoHttp({
    logger: log,
    genReqId: (req) => (req as Request).requestId,
    // The request id is bound to the request's logger, so every line logged through req.log has it.
    customProps: (req) => ({ request_id: (req as Request).requestId }),
    serializers: {
      // The events token is a credential: it never reaches the log.
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.replace(/([?&]access_token=)[^&]*/gi, '$1[redacted]') }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customSuccessObject: (req, _res, val) => withRouteAndCaller(req as Request, val),
    customErrorObject: (req, _res, _err, val) => withRouteAndCaller(req as Request, val),
  }) as RequestHandler;
}
