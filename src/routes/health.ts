import type { OperationHandlers } from '../http/typed-routes.js';
import type { RouteContext } from './context.js';

/** Cheap by design: reads pool counters, calls no tool, so probes cost nothing. */
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
          projects_loaded: ctx.service.resolver.projects().length,
          timestamp: new Date().toISOString(),
        },
      };
    },
  } satisfies Partial<OperationHandlers>;
}
