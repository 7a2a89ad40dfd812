/**
 * The service's named failures, free of HTTP: the service layer throws these, and the HTTP edge maps
 * each kind to a status and the one error format in one place (src/http/error-format.ts). `code` is
 * the stable, machine-readable name clients see in the error body.
 */
export interface FieldProblem {
  field?: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type DomainErrorKind =
  | 'not_found'
  | 'conflict'
  | 'invalid_input'
  | 'forbidden'
  | 'precondition_failed'
  | 'unprocessable'
  | 'unavailable'
  | 'timeout';

/** A project, task, entity (or anything else named by the request) does not exist. */
export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  constructor(message: string, code = 'not_found') {
    super(message, code);
  }
}

/** The change is refused in the current state (an invalid transition, a duplicate, a cycle). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(message: string, code = 'conflict') {
    super(message, code);
  }
}

/** The request itself is wrong; `problems` name the fields. */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid_input';
  constructor(
    message: string,
    readonly problems: FieldProblem[] = [],
    code = 'validation_error',
  ) {
    super(message, code);
  }
}

/** The caller may not do this (a key's scope, a path outside the allowed roots). */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  constructor(message: string, code = 'forbidden') {
    super(message, code);
  }
}

/** The resource changed since the version the caller named (If-Match). */
export class PreconditionFailedError extends DomainError {
  readonly kind = 'precondition_failed';
  constructor(message: string, code = 'precondition_failed') {
    super(message, code);
  }
}

/** Well-formed, but the stored data cannot be processed this way (e.g. a task that is its own ancestor). */
export class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable';
  constructor(message: string, code = 'unprocessable') {
    super(message, code);
  }
}

/**
 * A write that was sent but not answered may have been applied. `settled` resolves once it no longer
 * can be (whatever ran it was stopped for good), so the truth can then be looked up.
 */
export interface UnknownOutcome {
  settled: Promise<void>;
}

/** The backend (MCP, Redis, the store) cannot serve now; trying again after `retryAfter` seconds may work. */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable';
  constructor(
    message: string,
    readonly retryAfter = 1,
    code = 'service_unavailable',
    /** Set when the failed call may nevertheless have been applied. */
    readonly outcome?: UnknownOutcome,
  ) {
    super(message, code);
  }
}

/** The backend did not answer in time (so a write may or may not have been applied). */
export class TimeoutError extends DomainError {
  readonly kind = 'timeout';
  constructor(
    message: string,
    code = 'gateway_timeout',
    readonly outcome?: UnknownOutcome,
  ) {
    super(message, code);
  }
}
