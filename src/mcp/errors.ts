/** Failures of the MCP plumbing itself (as opposed to a tool saying no): all map to 503/504. */
export interface UnavailableDetails {
  /** The session is lost; the same read may be tried again on another one. */
  retriable?: boolean;
  /** The server provably never ran the call (e.g. it rejected an unknown session), so even a write may be sent again. */
  notDelivered?: boolean;
  /** Seconds until trying again makes sense. */
  retryAfter?: number;
}

export class McpUnavailableError extends Error {
  readonly retriable: boolean;
  readonly notDelivered: boolean;
  readonly retryAfter: number;

  constructor(message: string, details: UnavailableDetails = {}) {
    super(message);
    this.name = 'McpUnavailableError';
    this.retriable = details.retriable ?? false;
    this.notDelivered = details.notDelivered ?? false;
    this.retryAfter = details.retryAfter ?? 1;
  }
}

export class McpTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpTimeoutError';
  }
}
