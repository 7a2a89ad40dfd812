/** Renders every failure in the one error format: {error, message, status_code, details?, retry_after?, request_id}. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ApiError, type ErrorDetail } from './api-error.js';
import { sendError } from './error-response.js';

interface ValidatorError {
  status: number;
  message: string;
  errors?: Array<{ path?: string; message?: string }>;
}

function isValidatorError(err: unknown): err is ValidatorError {
  return !!err && typeof err === 'object' && typeof (err as ValidatorError).status === 'number' && Array.isArray((err as ValidatorError).errors);
}

/** `/query/limit` or `.query.limit` -> `query.limit` */
function fieldName(path: string | undefined): string | undefined {
  if (!path) return undefined;
  return path.replace(/^[./]+/, '').replace(/\//g, '.') || undefined;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'validation_error',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Translates what Express, body-parser and the OpenAPI validator throw into ApiErrors. */
export function toHttpError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (isValidatorError(err) && err.status >= 400 && err.status < 500) {
    if (err.status === 401) return new ApiError(401, 'unauthorized', 'A valid X-API-Key header is required');
    if (err.status === 404) return ApiError.notFound('Route not found');
    const details: ErrorDetail[] = (err.errors ?? []).map((e) => ({ field: fieldName(e.path), message: e.message ?? 'is invalid' }));
    const code = CODE_BY_STATUS[err.status] ?? 'bad_request';
    return new ApiError(err.status, code, err.message, err.status === 400 ? details : undefined);
  }
  const bodyError = err as { type?: string; status?: number; message?: string };
  if (bodyError?.type === 'entity.parse.failed') return new ApiError(400, 'invalid_json', 'The request body is not valid JSON');
  if (bodyError?.type === 'entity.too.large') return new ApiError(413, 'payload_too_large', 'The request body is too large');
  if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    return new ApiError(bodyError.status, CODE_BY_STATUS[bodyError.status] ?? 'bad_request', bodyError.message ?? 'Bad request');
  }
  return undefined;
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    let apiError = toHttpError(err);
    if (!apiError) {
      log.error({ err, request_id: req.requestId }, 'unhandled error');
      apiError = new ApiError(500, 'internal_error', 'An unexpected error occurred');
    }
    sendError(req, res, apiError);
  };
}

/** Anything no route claimed (the validator answers first for documented prefixes). */
export function notFoundHandler(): RequestHandler {
  return (_req, _res, next) => next(ApiError.notFound('Route not found'));
}
