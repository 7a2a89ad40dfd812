/**
 * Prometheus metrics (prom-client), in a registry of our own so several apps (tests) never share
 * counters. Labels are route templates and tool names, never raw URLs or keys.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface PoolGaugeSource {
  stats(): { idle: number; busy: number; opening: number; waiting: number };
}

export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly toolCalls = new Counter({
    name: 'mcp_tool_calls_total',
    help: 'MCP tool calls by tool and outcome (ok, tool_error, timeout, unavailable)',
    labelNames: ['tool', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly toolDuration = new Histogram({
    name: 'mcp_tool_duration_seconds',
    help: 'MCP tool call duration, including waiting for a session',
    labelNames: ['tool'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 10],
    registers: [this.registry],
  });

  readonly poolWait = new Histogram({
    name: 'mcp_pool_wait_seconds',
    help: 'Time a call waited for a free MCP session',
    buckets: [0, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  readonly breakerState = new Gauge({
    name: 'circuit_breaker_state',
    help: 'Circuit breaker state per MCP target: 0 closed, 1 half-open, 2 open',
    labelNames: ['target'] as const,
    registers: [this.registry],
  });

  readonly cacheRequests = new Counter({
    name: 'cache_requests_total',
    help: 'Cache lookups by result: hit / miss of the read cache, answer = a whole answer served ready-made',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly redisErrors = new Counter({
    name: 'redis_errors_total',
    help: 'Failed Redis commands and connection errors (REDIS_URL)',
    registers: [this.registry],
  });

  readonly sseConnections = new Gauge({
    name: 'sse_connections',
    help: 'Open event streams (GET /api/v1/events)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Pool occupancy is read at scrape time, so it is never stale. */
  watchPool(pool: PoolGaugeSource): void {
    new Gauge({
      name: 'mcp_pool_sessions',
      help: 'MCP sessions by state (idle, busy, opening) and callers waiting',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const s = pool.stats();
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'busy' }, s.busy);
        this.set({ state: 'opening' }, s.opening);
        this.set({ state: 'waiting' }, s.waiting);
      },
    });
  }

  setBreakerState(target: string, state: 'closed' | 'half_open' | 'open'): void {
    this.breakerState.set({ target }, state === 'closed' ? 0 : state === 'half_open' ? 1 : 2);
  }
}
