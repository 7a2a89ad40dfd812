/** Writes an ApiError in the one error format (used by the error handler and by middleware that answers early). */
import type { Request, Response } from 'express';
import type { ApiError } from './api-error.js';

export function sendError(req: Request, res: Response, error: ApiError): void {
  if (error.retryAfter !== undefined) res.setHeader('Retry-After', String(error.retryAfter));
  res.status(error.status).json({
    error: error.code,
    message: error.message,
    status_code: error.status,
    ...(error.details?.length ? { details: error.details } : {}),
    ...(error.retryAfter !== undefined ? { retry_after: error.retryAfter } : {}),
    request_id: req.requestId,
  });
}
