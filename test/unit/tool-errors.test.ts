/** The table that reads task-mcp's refusal texts: one row per pattern, each with the text it targets. */
import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError, PreconditionFailedError, TimeoutError, UnavailableError, UnprocessableError } from '../../src/domain/errors.js';
import { McpTimeoutError, McpUnavailableError } from '../../src/mcp/errors.js';
import { ToolCallError } from '../../src/mcp/tool-result.js';
import { TOOL_ERROR_PATTERNS, fromToolText, toDomainError } from '../../src/service/tool-errors.js';

const EXPECTED: Array<[string, new (...args: never[]) => Error]> = [
  ['Precondition failed: task 12 has changed (updated_at 2026-11-24T17:23:28.250000)', PreconditionFailedError],
  ['Task 20 not found or has been deleted', NotFoundError],
  ['Entity 3 not found or already deleted', NotFoundError],
  ['Task 4 not found', NotFoundError],
  ["Invalid status transition from 'todo' to 'done'", ConflictError],
  ['Cannot mark task as done: dependency 7 is not done (status: todo)', ConflictError],
  ["Entity already exists: file='src/a.ts' (id=3, name='A')", ConflictError],
  ['Link already exists between task 1 and entity 2', ConflictError],
  ['FOREIGN KEY constraint failed', ConflictError],
  ['Description exceeds 10,000 character limit (got 10001 chars)', InvalidInputError],
  ["blocker_reason is required when status is 'blocked'", InvalidInputError],
  ['Path cannot be empty', InvalidInputError],
  ['limit must be between 1 and 1000, got 0', InvalidInputError],
  ['maximum recursion depth exceeded while calling a Python object', UnprocessableError],
];

describe('task-mcp refusal texts', () => {
  it.each(TOOL_ERROR_PATTERNS.map((row) => [row.example, row] as const))('the row for %s matches its own example first', (example, row) => {
    const first = TOOL_ERROR_PATTERNS.find((r) => r.pattern.test(example));
    expect(first).toBe(row);
  });

  it.each(EXPECTED)('%s', (text, kind) => {
    const err = fromToolText(text);
    expect(err).toBeInstanceOf(kind);
    expect(err.message).toBe(text);
  });

  it('anything else is the backend failing: a 503 kind without the backend internals', () => {
    const err = fromToolText('disk I/O error (SQLITE_IOERR_WRITE) at /home/alice/.task-mcp/databases/project_1234abcd.db');
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.code).toBe('backend_error');
    expect(err.message).not.toContain('SQLITE');
    expect(err.message).not.toContain('/home');
  });

  it('maps the MCP plumbing and tool error kinds', () => {
    expect(toDomainError(new McpTimeoutError('late'))).toBeInstanceOf(TimeoutError);
    const unavailable = toDomainError(new McpUnavailableError('gone', { retryAfter: 7 })) as UnavailableError;
    expect(unavailable).toBeInstanceOf(UnavailableError);
    expect(unavailable.retryAfter).toBe(7);
    expect(toDomainError(new ToolCallError('unknown_tool', 'get_x', 'Unknown tool: get_x'))).toMatchObject({ code: 'backend_unsupported' });
    expect(toDomainError(new ToolCallError('validation', 'get_task', 'task_id: Input should be a valid integer'))).toBeInstanceOf(InvalidInputError);
    expect(toDomainError(new ToolCallError('soft', 'list_tasks', 'limit must be between 1 and 1000, got 0', 'PAGINATION_INVALID'))).toBeInstanceOf(InvalidInputError);
    expect(toDomainError(new ToolCallError('tool', 'get_task', 'Task 9 not found or has been deleted'))).toBeInstanceOf(NotFoundError);
    const other = new Error('not ours');
    expect(toDomainError(other)).toBe(other);
  });
});
