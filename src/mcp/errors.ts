/** Failures of the MCP plumbing itself (as opposed to a tool saying no): all map to 503/504. */
export class McpUnavailableError extends Error {
  constructor(
    message: string,
    /** Whether the same read may be tried again on another session. */
    readonly retriable = false,
    /** Seconds until trying again makes sense. */
    readonly retryAfter = 1,
  ) {
    super(message);
    this.name = 'McpUnavailableError';
  }
}

export class McpTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpTimeoutError';
  }
}
