/** What the route modules need from the rest of the service. */
import type { ReadCache } from '../cache/read-cache.js';
import type { EventHub } from '../events/event-hub.js';
import type { EventTokens } from '../events/tokens.js';
import type { ApiKeyIdentity } from '../http/api-keys.js';
import type { IdempotencyGuard } from '../http/idempotency.js';
import type { McpBreaker } from '../mcp/breaker.js';
import type { SessionPool } from '../mcp/pool.js';
import type { TransportKind } from '../mcp/transports/index.js';
import type { Metrics } from '../observability/metrics.js';
import type { RedisHealth } from '../runtime.js';
import type { Services } from '../service/index.js';
import type { ResolvedWorkspace } from '../service/workspace-resolver.js';

export interface RouteContext {
  services: Services;
  events: EventHub;
  tokens: EventTokens;
  idempotency: IdempotencyGuard;
  pool: SessionPool;
  breaker: McpBreaker;
  metrics: Metrics;
  cache: ReadCache;
  transport: TransportKind;
  version: string;
  /** The local store's state (`checked: false` for remote backends). */
  store: () => { checked: boolean; writable: boolean };
  redis: RedisHealth;
  /** The process that answers (a cluster worker in cluster mode, id 0 otherwise). */
  worker: { pid: number; id: number };
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The caller, when a valid X-API-Key was sent. */
    apiKey?: ApiKeyIdentity;
  }
}

/** The query string that names a workspace again, for Location headers. */
export function projectQuery(ws: ResolvedWorkspace): string {
  return ws.projectId ? `?project_id=${ws.projectId}` : `?workspace_path=${encodeURIComponent(ws.workspacePath)}`;
}
