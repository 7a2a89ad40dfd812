/** Turns MCP-side failures into the API's errors: task-mcp's refusals become 4xx, plumbing failures 503/504. */
import { ApiError } from '../http/api-error.js';
import { McpTimeoutError, McpUnavailableError } from '../mcp/errors.js';
import { ToolCallError } from '../mcp/tool-result.js';

const NOT_FOUND = /not found|has been deleted|already deleted/i;
const CONFLICT = /Invalid status transition|Cannot mark task as done|already exists|FOREIGN KEY constraint failed/i;
const UNPROCESSABLE = /recursion/i;
const BAD_INPUT = /character limit|is required|cannot be empty|must be|validation error|Invalid mode|limit must|offset must/i;

export function toApiError(err: unknown): unknown {
  if (err instanceof ApiError) return err;
  if (err instanceof McpTimeoutError) return new ApiError(504, 'gateway_timeout', err.message);
  if (err instanceof McpUnavailableError) return ApiError.unavailable(err.message, err.retryAfter);
  if (!(err instanceof ToolCallError)) return err;

  switch (err.kind) {
    case 'unknown_tool':
      return new ApiError(503, 'backend_unsupported', `The MCP backend does not offer the tool ${err.tool}`);
    case 'validation':
      return ApiError.badRequest(err.message);
    case 'soft':
      return ApiError.badRequest(err.message);
    case 'tool':
      if (NOT_FOUND.test(err.message)) return ApiError.notFound(err.message);
      if (CONFLICT.test(err.message)) return new ApiError(409, 'conflict', err.message);
      if (BAD_INPUT.test(err.message)) return ApiError.badRequest(err.message);
      if (UNPROCESSABLE.test(err.message)) return new ApiError(422, 'unprocessable', err.message);
      // Anything else is a failure inside the backend (e.g. a SQLite I/O error), not the caller's fault.
      return new ApiError(503, 'backend_error', `The MCP backend failed: ${err.message}`);
  }
}
