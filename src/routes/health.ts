/** Health, readiness and metrics (openapi.yaml tag Health). */
import type { OperationHandlers } from '../http/typed-routes.js';
import type { RouteContext } from './context.js';

/** Probes are cheap by design: they read pool and breaker state and call no tool. */
export function healthHandlers(ctx: RouteContext) {
  return {
    getHealth: async () => {
      const { size, live, idle, busy, waiting } = ctx.pool.stats();
      const healthy = live > 0;
      return {
        status: healthy ? 200 : 503,
        body: {
          status: healthy ? 'healthy' : 'unhealthy',
          version: ctx.version,
          mcp_connected: healthy,
          transport: ctx.transport,
          pool: { size, live, idle, busy, waiting },
          circuit_breaker: { target: ctx.breaker.target, state: ctx.breaker.state },
          projects_loaded: ctx.services.resolver.projects().length,
          timestamp: new Date().toISOString(),
        },
      };
    },

    getReadiness: async () => {
      if (ctx.pool.stats().live === 0) return { status: 503, body: { status: 'not_ready', reason: 'no MCP session is available' } };
      if (ctx.breaker.state === 'open') return { status: 503, body: { status: 'not_ready', reason: 'the circuit breaker is open' } };
      return { status: 200, body: { status: 'ready' } };
    },

    getMetrics: async () => ({
      status: 200,
      body: undefined,
      text: await ctx.metrics.registry.metrics(),
      headers: { 'Content-Type': ctx.metrics.registry.contentType },
    }),
  } satisfies Partial<OperationHandlers>;
}
