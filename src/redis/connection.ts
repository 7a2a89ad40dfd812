/**
 * The one Redis connection of a process (REDIS_URL), shared by the cache, idempotency, token and
 * rate-limit stores. Built so that Redis being down is a fast, visible fault and never a hang:
 * - no offline queue and one retry per request: a command while disconnected fails at once instead of
 *   waiting in ioredis's queue for minutes (its default is 20 reconnect attempts);
 * - a command timeout, for a Redis that accepts the connection but does not answer (frozen, overloaded);
 * - reconnects forever with a short capped backoff, so everything recovers by itself;
 * - "redis unavailable" is logged once per outage and "redis back" once when it ends; every failure is
 *   counted (`redis_errors_total`), never logged per request.
 * Keys are prefixed by the stores themselves (`keyOf`), not with ioredis's `keyPrefix`, which does not
 * apply to every command and would stack with rate-limit-redis's own prefix.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type RedisStatus = 'ready' | 'down';

export interface RedisConnectionOptions {
  url: string;
  keyPrefix: string;
  /** Longest wait for one command's reply. */
  commandTimeoutMs: number;
  /** How often the connection is pinged (latency for /health, and outage detection while idle). */
  pingIntervalMs?: number;
  onError?: (err: unknown) => void;
}

/** Logs a state change once: the first failure of an outage and its end, nothing in between. */
export class OutageLog {
  private down = false;

  constructor(
    private readonly log: Pick<Logger, 'warn' | 'info'>,
    private readonly what: string,
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  /** True when this failure starts an outage. */
  failed(err: unknown): boolean {
    if (this.down) return false;
    this.down = true;
    this.log.warn({ err: err instanceof Error ? { message: err.message } : err }, `${this.what} unavailable`);
    return true;
  }

  /** True when this ends an outage. */
  recovered(): boolean {
    if (!this.down) return false;
    this.down = false;
    this.log.info(`${this.what} back`);
    return true;
  }
}

export class RedisConnection {
  readonly client: Redis;
  readonly keyPrefix: string;
  /** Round trip of the last successful ping (ms). */
  latencyMs: number | undefined;
  private readonly outage: OutageLog;
  private readonly recoveryListeners = new Set<() => void | Promise<void>>();
  private readonly outageListeners = new Set<() => void>();
  private pinger: NodeJS.Timeout | undefined;
  private everReady = false;
  private closing = false;

  constructor(
    private readonly options: RedisConnectionOptions,
    log: Logger,
  ) {
    this.keyPrefix = options.keyPrefix;
    this.outage = new OutageLog(log, 'redis');
    this.client = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: Math.max(1_000, options.commandTimeoutMs * 2),
      // Forever, 50 ms .. 1 s apart: Redis coming back is noticed within a second.
      retryStrategy: (times) => Math.min(50 * times, 1_000),
      // A command that was written but not answered must not be replayed after a reconnect (a
      // claim could then land after its request gave up).
      autoResendUnfulfilledCommands: false,
    });
    // Without an 'error' listener ioredis's errors would be unhandled and end the process.
    this.client.on('error', (err) => this.failed(err));
    this.client.on('close', () => {
      if (this.everReady && !this.closing) this.failed(new Error('connection closed'));
    });
    this.client.on('ready', () => {
      this.everReady = true;
      this.answered();
    });
  }

  /** Redis answered: ends an outage (a reconnect, or a frozen server that answers pings again). */
  private answered(): void {
    if (!this.outage.recovered()) return;
    for (const listener of this.recoveryListeners) void Promise.resolve().then(listener).catch(() => undefined);
  }

  get status(): RedisStatus {
    return this.client.status === 'ready' && !this.outage.isDown ? 'ready' : 'down';
  }

  /** Prefixes a key with REDIS_KEY_PREFIX. */
  keyOf(...parts: string[]): string {
    return this.keyPrefix + parts.join(':');
  }

  /**
   * Connects, waiting at most `waitMs`. A Redis that is down at start is not fatal: the service
   * starts degraded and the connection keeps retrying in the background.
   */
  async connect(waitMs: number): Promise<boolean> {
    const ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), waitMs);
      timer.unref();
      this.client.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    this.client.connect().catch((err: unknown) => this.failed(err));
    const ok = await ready;
    if (!ok) this.failed(new Error(`no connection to Redis within ${waitMs} ms`));
    const every = this.options.pingIntervalMs ?? 2_000;
    this.pinger = setInterval(() => void this.ping(), every);
    this.pinger.unref();
    return ok;
  }

  /** Runs after every outage, once Redis answers again (e.g. to orphan entries cached before it). */
  onRecovery(listener: () => void | Promise<void>): void {
    this.recoveryListeners.add(listener);
  }

  /** Runs when an outage starts (the first failure after Redis last answered). */
  onOutage(listener: () => void): void {
    this.outageListeners.add(listener);
  }

  /** Records a failed command (the stores call this; it also feeds the once-per-outage log). */
  failed(err: unknown): void {
    if (this.closing) return;
    this.options.onError?.(err);
    if (this.outage.failed(err)) for (const listener of this.outageListeners) listener();
  }

  /** Awaits a command; a failure is recorded (outage log, `redis_errors_total`) and rethrown. */
  async guard<T>(command: Promise<T>): Promise<T> {
    try {
      return await command;
    } catch (err) {
      this.failed(err);
      throw err;
    }
  }

  async ping(): Promise<number | undefined> {
    if (this.client.status !== 'ready') return undefined;
    const started = performance.now();
    try {
      await this.client.ping();
      this.latencyMs = Math.round((performance.now() - started) * 100) / 100;
      this.answered();
      return this.latencyMs;
    } catch (err) {
      this.failed(err);
      return undefined;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.pinger) clearInterval(this.pinger);
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
