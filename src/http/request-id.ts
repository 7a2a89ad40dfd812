/** Request ids: a well-formed inbound X-Request-ID is kept (for tracing across services), else one is made. */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
  }
}

/** The id of a request: its well-formed X-Request-ID, or a new one (both request paths). */
export function requestIdOf(inbound: string | string[] | undefined): string {
  return typeof inbound === 'string' && WELL_FORMED.test(inbound) ? inbound : randomUUID();
}

export function requestId(): RequestHandler {
  return (req, res, next) => {
    req.requestId = requestIdOf(req.headers['x-request-id']);
    res.setHeader('X-Request-ID', req.requestId);
    next();
  };
}
