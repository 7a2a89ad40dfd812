/**
 * The circuit breaker in front of one MCP target (opossum). A tool saying no (bad input, not found)
 * is the caller's business and never counts; timeouts and lost sessions do. While open, calls fail at
 * once with 503 and a Retry-After until a half-open probe succeeds.
 */
import CircuitBreaker from 'opossum';
import type { Logger } from 'pino';
import { McpUnavailableError } from './errors.js';
import { ToolCallError } from './tool-result.js';

export interface BreakerOptions {
  /** Percentage of failed calls in the rolling window that opens the circuit. */
  errorThresholdPercentage: number;
  /** Calls the window must have seen before it may open (opossum's default, 0, opens on the first failure). */
  volumeThreshold: number;
  /** How long the circuit stays open before a half-open probe. */
  resetTimeoutMs: number;
  rollingWindowMs: number;
}

export type BreakerState = 'closed' | 'half_open' | 'open';

export class McpBreaker {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  private openedAt = 0;

  constructor(
    readonly target: string,
    private readonly options: BreakerOptions,
    log: Logger,
    onStateChange?: (state: BreakerState) => void,
  ) {
    this.breaker = new CircuitBreaker((run: () => Promise<unknown>) => run(), {
      // The MCP call has its own timeout, which really cancels and recycles the session;
      // an opossum timeout would only stop waiting (library-pitfalls.md).
      timeout: false,
      errorThresholdPercentage: options.errorThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      resetTimeout: options.resetTimeoutMs,
      rollingCountTimeout: options.rollingWindowMs,
      errorFilter: (err: unknown) => err instanceof ToolCallError,
    });
    this.breaker.on('open', () => {
      this.openedAt = Date.now();
      log.warn({ target }, 'circuit breaker opened');
      onStateChange?.('open');
    });
    this.breaker.on('halfOpen', () => {
      log.info({ target }, 'circuit breaker half-open: probing');
      onStateChange?.('half_open');
    });
    this.breaker.on('close', () => {
      log.info({ target }, 'circuit breaker closed');
      onStateChange?.('closed');
    });
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    return this.breaker.halfOpen ? 'half_open' : 'closed';
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(call)) as T;
    } catch (err) {
      if ((err as { code?: string }).code === 'EOPENBREAKER') {
        const retryAfter = Math.max(1, Math.ceil((this.openedAt + this.options.resetTimeoutMs - Date.now()) / 1000));
        throw new McpUnavailableError(`The MCP backend is failing; circuit open for ${this.target}`, { retryAfter });
      }
      throw err;
    }
  }

  shutdown(): void {
    this.breaker.shutdown();
  }
}
