/**
 * Health, readiness and metrics (openapi.yaml tag Health). Probes are cheap by design: they read the
 * state of the pool, the breaker, the store, Redis and the cache, and call no tool.
 */
import { assertAllProjects } from '../domain/access.js';
import type { OperationHandlers } from '../http/typed-routes.js';
import type { RouteContext } from './context.js';

export function healthHandlers(ctx: RouteContext) {
  /** What is wrong, split into what makes the service unusable and what only degrades it. */
  const problems = () => {
    const fatal: string[] = [];
    const degraded: string[] = [];
    if (ctx.pool.stats().live === 0) fatal.push('no MCP session is available');
    const store = ctx.store();
    if (store.checked && !store.writable) fatal.push('the task-mcp store cannot be written');
    if (ctx.breaker.state === 'open') degraded.push('the circuit breaker is open');
    if (ctx.redis.status === 'down') degraded.push('Redis is unreachable');
    return { fatal, degraded };
  };

  return {
    getHealth: async () => {
      const { size, live, idle, busy, waiting } = ctx.pool.stats();
      const { fatal, degraded } = problems();
      const reasons = [...fatal, ...degraded];
      const store = ctx.store();
      const body = {
        status: fatal.length ? ('unhealthy' as const) : degraded.length ? ('degraded' as const) : ('healthy' as const),
        ...(reasons.length ? { reasons } : {}),
        version: ctx.version,
        pid: process.pid,
        worker: { ...ctx.worker },
        mcp_connected: live > 0,
        transport: ctx.transport,
        pool: { size, live, idle, busy, waiting },
        circuit_breaker: { target: ctx.breaker.target, state: ctx.breaker.state },
        store: { checked: store.checked, writable: store.writable },
        // A snapshot: the runtime's object reads the connection at each access.
        redis: withoutUndefined({ ...ctx.redis }),
        cache: { enabled: ctx.cache.enabled, hits: ctx.cache.hits, misses: ctx.cache.misses, bypasses: ctx.cache.bypasses },
        events: { subscribers: ctx.events.subscribers },
        projects_loaded: ctx.services.resolver.projects().length,
        timestamp: new Date().toISOString(),
      };
      return fatal.length ? { status: 503, body } : { status: 200, body };
    },

    getReadiness: async () => {
      const { fatal, degraded } = problems();
      // Degraded still serves, but a load balancer should prefer an instance whose breaker is closed.
      const reason = [...fatal, ...degraded.filter((d) => d.startsWith('the circuit breaker'))][0];
      const redis = ctx.redis.configured ? { redis: ctx.redis.status } : {};
      return reason ? { status: 503, body: { status: 'not_ready', reason, ...redis } } : { status: 200, body: { status: 'ready', ...redis } };
    },

    getMetrics: async ({ caller }) => {
      assertAllProjects(caller);
      return {
        status: 200,
        body: undefined,
        text: await ctx.metrics.registry.metrics(),
        headers: { 'Content-Type': ctx.metrics.registry.contentType },
      };
    },
  } satisfies Partial<OperationHandlers>;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
