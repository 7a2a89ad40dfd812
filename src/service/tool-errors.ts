/**
 * MCP-side failures -> domain errors. task-mcp (Python) reports refusals only as text, so a small table
 * of patterns decides what each text means; every row is unit-tested with the text it targets
 * (test/unit/tool-errors.test.ts). Plumbing failures (no session, a timeout) become 503/504 kinds.
 */
import {
  ConflictError,
  DomainError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  TimeoutError,
  UnavailableError,
  UnprocessableError,
} from '../domain/errors.js';
import { McpTimeoutError, McpUnavailableError } from '../mcp/errors.js';
import { ToolCallError } from '../mcp/tool-result.js';

type Make = (message: string) => DomainError;

/**
 * task-mcp refused to send a result over its response budget (RESPONSE_SIZE_EXCEEDED). Never the
 * reader's fault: readers that can fetch the data in pieces do; otherwise it is a 503.
 */
export class ResponseTooLargeError extends UnavailableError {
  constructor(message: string) {
    super(message, 1, 'response_too_large');
  }
}

/** First match wins; the texts are task-mcp's (see docs/task-mcp-compatibility.md, "Errors"). */
export const TOOL_ERROR_PATTERNS: ReadonlyArray<{ pattern: RegExp; make: Make; example: string }> = [
  { pattern: /^Precondition failed/, make: (m) => new PreconditionFailedError(m), example: 'Precondition failed: task 12 has changed (updated_at 2026-11-24T17:23:28.250000)' },
  { pattern: /not found|has been deleted|already deleted/i, make: (m) => new NotFoundError(m), example: 'Task 20 not found or has been deleted' },
  { pattern: /Invalid status transition/, make: (m) => new ConflictError(m), example: "Invalid status transition from 'todo' to 'done'" },
  { pattern: /Cannot mark task as done/, make: (m) => new ConflictError(m), example: 'Cannot mark task as done: dependency 7 is not done (status: todo)' },
  { pattern: /already exists/, make: (m) => new ConflictError(m), example: "Entity already exists: file='src/a.ts' (id=3, name='A')" },
  { pattern: /FOREIGN KEY constraint failed/, make: (m) => new ConflictError(m), example: 'FOREIGN KEY constraint failed' },
  { pattern: /character limit/, make: (m) => new InvalidInputError(m), example: 'Description exceeds 10,000 character limit (got 10001 chars)' },
  { pattern: /is required|cannot be empty/, make: (m) => new InvalidInputError(m), example: "blocker_reason is required when status is 'blocked'" },
  { pattern: /must be|validation error|Invalid mode|limit must|offset must/i, make: (m) => new InvalidInputError(m), example: 'limit must be between 1 and 1000, got 0' },
  { pattern: /recursion/i, make: (m) => new UnprocessableError(m), example: 'maximum recursion depth exceeded while calling a Python object' },
];

/** A refusal text of a tool ("Error calling tool ..." with the prefix already removed). */
export function fromToolText(message: string): DomainError {
  for (const { pattern, make } of TOOL_ERROR_PATTERNS) if (pattern.test(message)) return make(message);
  // Anything else is a failure inside the backend (e.g. a SQLite I/O error), not the caller's fault.
  // The text stays in the log; the caller gets no backend internals.
  return new UnavailableError('The MCP backend failed to carry out the call', 1, 'backend_error');
}

/** Any failure of a gateway call as a domain error (domain errors pass through). */
export function toDomainError(err: unknown): unknown {
  if (err instanceof DomainError) return err;
  if (err instanceof McpTimeoutError) return new TimeoutError(err.message, 'gateway_timeout', err.outcome);
  if (err instanceof McpUnavailableError) return new UnavailableError(err.message, err.retryAfter, 'service_unavailable', err.outcome);
  if (!(err instanceof ToolCallError)) return err;
  switch (err.kind) {
    case 'unknown_tool':
      return new UnavailableError(`The MCP backend does not offer the tool ${err.tool}`, 1, 'backend_unsupported');
    case 'validation':
      return new InvalidInputError(err.message);
    case 'soft':
      return err.code === 'RESPONSE_SIZE_EXCEEDED' ? new ResponseTooLargeError(err.message) : new InvalidInputError(err.message);
    case 'tool':
      return fromToolText(err.message);
  }
}
