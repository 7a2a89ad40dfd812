/** Request ids: a well-formed inbound X-Request-ID is kept (for tracing across services), else one is made. */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
  }
}

export function requestId(): RequestHandler {
  return (req, res, next) => {
    const inbound = req.get('x-request-id');
    req.requestId = inbound && WELL_FORMED.test(inbound) ? inbound : randomUUID();
    res.setHeader('X-Request-ID', req.requestId);
    next();
  };
}
