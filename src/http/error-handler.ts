/** The last middleware: every failure leaves in the one error format (src/http/error-format.ts). */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { INTERNAL_ERROR, sendErrorReply, toErrorReply } from './error-format.js';
import { NotFoundError } from '../domain/errors.js';

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const reply = toErrorReply(err);
    if (!reply) log.error({ err, request_id: req.requestId }, 'unhandled error');
    sendErrorReply(req, res, reply ?? INTERNAL_ERROR);
  };
}

/** Anything no route claimed (the validator answers first for documented prefixes). */
export function notFoundHandler(): RequestHandler {
  return (_req, _res, next) => next(new NotFoundError('Route not found'));
}
