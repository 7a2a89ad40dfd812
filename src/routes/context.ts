/** What the route modules need from the rest of the service. */
import type { ApiKeyIdentity } from '../http/api-keys.js';
import type { IdempotencyGuard } from '../http/idempotency.js';
import type { McpBreaker } from '../mcp/breaker.js';
import type { SessionPool } from '../mcp/pool.js';
import type { TransportKind } from '../mcp/transports/index.js';
import type { Metrics } from '../observability/metrics.js';
import type { Services } from '../service/index.js';
import type { ResolvedWorkspace } from '../service/workspace-resolver.js';

export interface RouteContext {
  services: Services;
  idempotency: IdempotencyGuard;
  pool: SessionPool;
  breaker: McpBreaker;
  metrics: Metrics;
  transport: TransportKind;
  version: string;
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
