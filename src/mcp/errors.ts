/** Failures of the MCP plumbing itself (as opposed to a tool saying no): all map to 503/504. */
export interface UnavailableDetails {
  /** The session is lost; the same read may be tried again on another one. */
  retriable?: boolean;
  /** The server provably never ran the call (e.g. it rejected an unknown session), so even a write may be sent again. */
  notDelivered?: boolean;
  /** Seconds until trying again makes sense. */
  retryAfter?: number;
  /** The call was sent and its outcome is unknown (see `OutcomeUnknown`). */
  outcome?: OutcomeUnknown;
}

/**
 * A call that was sent but not answered (timeout, lost session): it may have been applied. `settled`
 * resolves once it can no longer be applied — the session that ran it was stopped for good (a killed
 * child cannot commit later) — so whoever needs the truth (Idempotency-Key) can then look it up.
 */
export interface OutcomeUnknown {
  settled: Promise<void>;
}

export class McpUnavailableError extends Error {
  readonly retriable: boolean;
  readonly notDelivered: boolean;
  readonly retryAfter: number;
  readonly outcome?: OutcomeUnknown;

  constructor(message: string, details: UnavailableDetails = {}) {
    super(message);
    this.name = 'McpUnavailableError';
    this.retriable = details.retriable ?? false;
    this.notDelivered = details.notDelivered ?? false;
    this.retryAfter = details.retryAfter ?? 1;
    this.outcome = details.outcome;
  }
}

export class McpTimeoutError extends Error {
  constructor(
    message: string,
    readonly outcome?: OutcomeUnknown,
  ) {
    super(message);
    this.name = 'McpTimeoutError';
  }
}
