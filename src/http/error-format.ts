/**
 * The one error format, in one place: every failure — a domain error from the service, an HTTP-level
 * refusal from the edge (auth, rate limit, deadline), a validator or body-parser error — becomes
 * `{error, message, status_code, details?, retry_after?, request_id}` here and nowhere else.
 */
import type { ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { DomainError, type DomainErrorKind, type FieldProblem, InvalidInputError, UnavailableError } from '../domain/errors.js';

/** A refusal that only exists at the HTTP edge (no key, too many requests, body too large, deadline). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorReply {
  status: number;
  code: string;
  message: string;
  details?: FieldProblem[];
  retryAfter?: number;
}

const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid_input: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  unprocessable: 422,
  unavailable: 503,
  timeout: 504,
};

const CODE_OF_STATUS: Record<number, string> = {
  400: 'validation_error',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

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

/** The reply for a failure, or undefined when it is not one we know (a bug: the caller answers 500). */
export function toErrorReply(err: unknown): ErrorReply | undefined {
  if (err instanceof DomainError) {
    return {
      status: STATUS_OF_KIND[err.kind],
      code: err.code,
      message: err.message,
      ...(err instanceof InvalidInputError && err.problems.length ? { details: err.problems } : {}),
      ...(err instanceof UnavailableError ? { retryAfter: err.retryAfter } : {}),
    };
  }
  if (err instanceof HttpError) return { status: err.status, code: err.code, message: err.message, ...(err.retryAfter !== undefined ? { retryAfter: err.retryAfter } : {}) };
  if (isValidatorError(err) && err.status >= 400 && err.status < 500) {
    if (err.status === 401) return { status: 401, code: 'unauthorized', message: 'A valid X-API-Key header is required' };
    if (err.status === 404) return { status: 404, code: 'not_found', message: 'Route not found' };
    const details = (err.errors ?? []).map((e) => ({ field: fieldName(e.path), message: e.message ?? 'is invalid' }));
    return { status: err.status, code: CODE_OF_STATUS[err.status] ?? 'bad_request', message: err.message, ...(err.status === 400 ? { details } : {}) };
  }
  const bodyError = err as { type?: string; status?: number; message?: string } | undefined;
  if (bodyError?.type === 'entity.parse.failed') return { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON' };
  if (bodyError?.type === 'entity.too.large') return { status: 413, code: 'payload_too_large', message: 'The request body is too large' };
  if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    return { status: bodyError.status, code: CODE_OF_STATUS[bodyError.status] ?? 'bad_request', message: bodyError.message ?? 'Bad request' };
  }
  return undefined;
}

export const INTERNAL_ERROR: ErrorReply = { status: 500, code: 'internal_error', message: 'An unexpected error occurred' };

/** The body of an error answer. */
export function errorBody(reply: ErrorReply, requestId: string): Record<string, unknown> {
  return {
    error: reply.code,
    message: reply.message,
    status_code: reply.status,
    ...(reply.details?.length ? { details: reply.details } : {}),
    ...(reply.retryAfter !== undefined ? { retry_after: reply.retryAfter } : {}),
    request_id: requestId,
  };
}

/** Writes a reply in the error format (the error middleware and middleware that answers early use it). */
export function sendErrorReply(req: Request, res: Response, reply: ErrorReply): void {
  if (reply.retryAfter !== undefined) res.setHeader('Retry-After', String(reply.retryAfter));
  res.status(reply.status).json(errorBody(reply, req.requestId));
}

/** The same on a plain Node response (the fast path for cached answers). */
export function writeErrorReply(res: ServerResponse, reply: ErrorReply, requestId: string): void {
  const body = Buffer.from(JSON.stringify(errorBody(reply, requestId)));
  if (reply.retryAfter !== undefined) res.setHeader('Retry-After', String(reply.retryAfter));
  res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}

/** Writes any known failure in the error format (unknown ones as a 500). */
export function sendError(req: Request, res: Response, err: unknown): void {
  sendErrorReply(req, res, toErrorReply(err) ?? INTERNAL_ERROR);
}
