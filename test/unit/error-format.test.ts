/** Every failure leaves in the one error format, mapped in one place. */
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  TimeoutError,
  UnavailableError,
  UnprocessableError,
} from '../../src/domain/errors.js';
import { HttpError, toErrorReply } from '../../src/http/error-format.js';

describe('toErrorReply', () => {
  it.each([
    [new InvalidInputError('bad', [{ field: 'query.limit', message: 'too big' }]), 400, 'validation_error'],
    [new ForbiddenError('no'), 403, 'forbidden'],
    [new NotFoundError('gone'), 404, 'not_found'],
    [new ConflictError('clash'), 409, 'conflict'],
    [new PreconditionFailedError('changed'), 412, 'precondition_failed'],
    [new UnprocessableError('cycle'), 422, 'unprocessable'],
    [new UnavailableError('down', 3), 503, 'service_unavailable'],
    [new TimeoutError('slow'), 504, 'gateway_timeout'],
  ])('%s -> %i %s', (err, status, code) => {
    expect(toErrorReply(err)).toMatchObject({ status, code, message: err.message });
  });

  it('keeps field details, Retry-After and custom codes', () => {
    expect(toErrorReply(new InvalidInputError('bad', [{ field: 'body.title', message: 'required' }]))?.details).toEqual([{ field: 'body.title', message: 'required' }]);
    expect(toErrorReply(new UnavailableError('down', 9))?.retryAfter).toBe(9);
    expect(toErrorReply(new ConflictError('busy', 'idempotency_in_progress'))?.code).toBe('idempotency_in_progress');
    expect(toErrorReply(new HttpError(429, 'rate_limited', 'slow down', 42))).toEqual({ status: 429, code: 'rate_limited', message: 'slow down', retryAfter: 42 });
  });

  it('translates the OpenAPI validator and body parser', () => {
    const validation = { status: 400, message: 'request/query/limit must be <= 100', errors: [{ path: '/query/limit', message: 'must be <= 100' }] };
    expect(toErrorReply(validation)).toEqual({ status: 400, code: 'validation_error', message: validation.message, details: [{ field: 'query.limit', message: 'must be <= 100' }] });
    expect(toErrorReply({ status: 401, message: 'x', errors: [] })).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(toErrorReply({ status: 404, message: 'x', errors: [] })).toMatchObject({ status: 404, code: 'not_found', message: 'Route not found' });
    expect(toErrorReply({ status: 415, message: 'unsupported media type text/plain', errors: [] })).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(toErrorReply({ type: 'entity.parse.failed', status: 400 })).toMatchObject({ status: 400, code: 'invalid_json' });
    expect(toErrorReply({ type: 'entity.too.large', status: 413 })).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('knows nothing of other errors (the error middleware answers 500)', () => {
    expect(toErrorReply(new Error('bug'))).toBeUndefined();
    expect(toErrorReply({ status: 500, message: 'x' })).toBeUndefined();
  });
});
