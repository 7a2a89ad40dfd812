/**
 * A pool of long-lived MCP client sessions. Sessions are opened once and reused for every call; a call
 * holds one session exclusively (task-mcp servers run one tool at a time per process anyway).
 * A session whose transport dies is dropped and replaced in the background, with backoff.
 *
 * Callers wait fairly: each caller (API key) has its own queue, bounded on its own, and a freed
 * session goes to the callers in turn, so one key sending thousands of calls cannot starve another.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Logger } from 'pino';
import { McpUnavailableError } from './errors.js';
import type { OpenedSession, SessionFactory } from './transports/index.js';

export interface PoolOptions {
  size: number;
  /** How long `acquire` waits for a free session before giving up. */
  acquireTimeoutMs: number;
  /** How many callers may wait at once; more are refused immediately. */
  maxWaiting: number;
  /** How many calls of one caller may wait at once (default: all of maxWaiting). */
  maxWaitingPerOwner?: number;
  /** Called with the seconds each successful acquire waited (for metrics). */
  onAcquired?: (waitSeconds: number) => void;
}

export type SessionState = 'idle' | 'busy' | 'closed';

export class PooledSession {
  state: SessionState = 'idle';
  lastUsedAt = Date.now();
  readonly createdAt = Date.now();

  constructor(
    readonly id: number,
    private readonly opened: OpenedSession,
  ) {}

  get client(): Client {
    return this.opened.client;
  }
  get pid(): number | undefined {
    return this.opened.pid;
  }
  close(): Promise<void> {
    return this.opened.close();
  }
  terminate(): Promise<void> {
    return this.opened.terminate();
  }
}

interface Waiter {
  owner: string;
  resolve(session: PooledSession): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** Waiters per owner, served round-robin across owners and first-come within one. */
class FairQueue {
  private readonly byOwner = new Map<string, Waiter[]>();
  private size = 0;

  get length(): number {
    return this.size;
  }

  count(owner: string): number {
    return this.byOwner.get(owner)?.length ?? 0;
  }

  push(w: Waiter): void {
    const queue = this.byOwner.get(w.owner);
    if (queue) queue.push(w);
    else this.byOwner.set(w.owner, [w]);
    this.size++;
  }

  /** The next waiter: the oldest of the owner whose turn it is; that owner then goes to the back. */
  shift(): Waiter | undefined {
    const next = this.byOwner.entries().next();
    if (next.done) return undefined;
    const [owner, queue] = next.value;
    const w = queue.shift()!;
    this.byOwner.delete(owner);
    if (queue.length) this.byOwner.set(owner, queue); // re-inserted last: the next owner is next
    this.size--;
    return w;
  }

  remove(w: Waiter): void {
    const queue = this.byOwner.get(w.owner);
    const i = queue?.indexOf(w) ?? -1;
    if (!queue || i < 0) return;
    queue.splice(i, 1);
    if (!queue.length) this.byOwner.delete(w.owner);
    this.size--;
  }

  drain(): Waiter[] {
    const all = [...this.byOwner.values()].flat();
    this.byOwner.clear();
    this.size = 0;
    return all;
  }
}

export interface PoolStats {
  size: number;
  live: number;
  idle: number;
  busy: number;
  waiting: number;
  opening: number;
}

const MAX_BACKOFF_MS = 5_000;

export class SessionPool {
  private readonly idle: PooledSession[] = [];
  private readonly busy = new Set<PooledSession>();
  private readonly waiters = new FairQueue();
  /** Sessions being stopped for good; close() waits for them so no child outlives the pool. */
  private readonly terminating = new Set<Promise<void>>();
  private opening = 0;
  private consecutiveFailures = 0;
  private refillTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly factory: SessionFactory,
    private readonly options: PoolOptions,
    private readonly log: Logger,
  ) {}

  /** Opens every session; resolves when all attempts have finished (failed ones keep retrying). */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.options.size }, () => this.openOne()));
  }

  stats(): PoolStats {
    return {
      size: this.options.size,
      live: this.idle.length + this.busy.size,
      idle: this.idle.length,
      busy: this.busy.size,
      waiting: this.waiters.length,
      opening: this.opening,
    };
  }

  /** Every live session (for idle checks and tests). */
  sessions(): PooledSession[] {
    return [...this.idle, ...this.busy];
  }

  /** A session for `owner` (the calling key): at once when one is idle, else in `owner`'s fair turn. */
  async acquire(owner = 'anonymous'): Promise<PooledSession> {
    if (this.closed) throw new McpUnavailableError('The MCP session pool is shut down');
    const started = process.hrtime.bigint();
    const ready = this.idle.shift();
    if (ready) {
      this.markBusy(ready);
      this.options.onAcquired?.(0);
      return ready;
    }
    if (this.waiters.length >= this.options.maxWaiting) {
      throw new McpUnavailableError(`Too many requests are waiting for an MCP session (${this.waiters.length})`);
    }
    const perOwner = this.options.maxWaitingPerOwner ?? this.options.maxWaiting;
    if (this.waiters.count(owner) >= perOwner) {
      throw new McpUnavailableError(`Too many requests of this API key are waiting for an MCP session (${perOwner})`);
    }
    const session = await new Promise<PooledSession>((resolve, reject) => {
      const waiter: Waiter = {
        owner,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.remove(waiter);
          reject(new McpUnavailableError(`No MCP session became available within ${this.options.acquireTimeoutMs} ms`));
        }, this.options.acquireTimeoutMs),
      };
      this.waiters.push(waiter);
    });
    this.options.onAcquired?.(Number(process.hrtime.bigint() - started) / 1e9);
    return session;
  }

  /** Gives a healthy session back. */
  release(session: PooledSession): void {
    if (session.state === 'closed') return;
    session.lastUsedAt = Date.now();
    this.busy.delete(session);
    this.handOver(session);
  }

  /**
   * Drops a session that can no longer be trusted (timed out, broken) and opens a replacement. With
   * `terminate` it is stopped for good at once (it may still be working on a call); the returned
   * promise resolves when nothing it was doing can still take effect.
   */
  discard(session: PooledSession, reason: string, options: { terminate?: boolean } = {}): Promise<void> {
    if (session.state === 'closed') return Promise.resolve();
    this.forget(session);
    this.log.warn({ session: session.id, pid: session.pid, reason }, 'recycling MCP session');
    const ending = (options.terminate ? session.terminate() : session.close()).catch((err: unknown) => this.log.debug({ err }, 'error closing MCP session'));
    this.terminating.add(ending);
    void ending.finally(() => this.terminating.delete(ending));
    this.fill();
    return ending;
  }

  /** Drops every idle session, e.g. when the server says it no longer knows our sessions (it restarted). */
  discardIdle(reason: string): void {
    for (const session of [...this.idle]) this.discard(session, reason);
  }

  /**
   * Pings sessions that sat idle for a whole interval and recycles the ones that do not answer, so a
   * session that died quietly (server restarted, connection dropped) is replaced before a request
   * needs it.
   */
  startIdleChecks(intervalMs: number, timeoutMs: number): void {
    if (intervalMs <= 0) return;
    this.pingTimer = setInterval(() => void this.pingIdle(intervalMs, timeoutMs), intervalMs);
    this.pingTimer.unref();
  }

  async pingIdle(idleForMs: number, timeoutMs: number): Promise<void> {
    const now = Date.now();
    const stale = this.idle.filter((s) => now - s.lastUsedAt >= idleForMs);
    await Promise.all(
      stale.map(async (session) => {
        const i = this.idle.indexOf(session);
        if (i < 0) return; // taken meanwhile
        this.idle.splice(i, 1);
        this.markBusy(session);
        try {
          await session.client.ping({ timeout: timeoutMs });
          this.release(session);
        } catch (err) {
          this.discard(session, `idle ping failed: ${(err as Error).message}`);
        }
      }),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.refillTimer);
    clearInterval(this.pingTimer);
    for (const waiter of this.waiters.drain()) {
      clearTimeout(waiter.timer);
      waiter.reject(new McpUnavailableError('The MCP session pool is shutting down'));
    }
    const all = this.sessions();
    for (const session of all) this.forget(session);
    await Promise.allSettled([...all.map((s) => s.close()), ...this.terminating]);
  }

  private markBusy(session: PooledSession): void {
    session.state = 'busy';
    this.busy.add(session);
  }

  private handOver(session: PooledSession): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      this.markBusy(session);
      waiter.resolve(session);
    } else {
      session.state = 'idle';
      this.idle.push(session);
    }
  }

  private forget(session: PooledSession): void {
    session.state = 'closed';
    this.busy.delete(session);
    const i = this.idle.indexOf(session);
    if (i >= 0) this.idle.splice(i, 1);
  }

  private fill(): void {
    while (!this.closed && this.idle.length + this.busy.size + this.opening < this.options.size) void this.openOne();
  }

  private async openOne(): Promise<void> {
    this.opening++;
    let opened: OpenedSession;
    try {
      opened = await this.factory();
    } catch (err) {
      this.opening--;
      this.consecutiveFailures++;
      this.log.error({ err, failures: this.consecutiveFailures }, 'could not open an MCP session');
      this.scheduleRefill();
      return;
    }
    this.opening--;
    if (this.closed) {
      await opened.close().catch(() => undefined);
      return;
    }
    this.consecutiveFailures = 0;
    const session = new PooledSession(this.nextId++, opened);
    // A child that exits or a connection that drops: replace the session, never hand it out again.
    opened.client.onclose = () => {
      if (session.state === 'closed') return;
      this.log.warn({ session: session.id, pid: session.pid }, 'MCP session closed unexpectedly');
      this.forget(session);
      this.fill();
    };
    opened.client.onerror = (err: Error) => this.log.debug({ err, session: session.id }, 'MCP transport error');
    this.log.debug({ session: session.id, pid: session.pid }, 'MCP session ready');
    this.handOver(session);
  }

  private scheduleRefill(): void {
    if (this.refillTimer || this.closed) return;
    const delay = Math.min(100 * 2 ** Math.min(this.consecutiveFailures, 10), MAX_BACKOFF_MS);
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined;
      this.fill();
    }, delay);
    this.refillTimer.unref();
  }
}
