/** What the route modules need from the rest of the service. */
import type { Request } from 'express';
import type { ApiKeyIdentity } from '../http/api-keys.js';
import type { SessionPool } from '../mcp/pool.js';
import type { TransportKind } from '../mcp/transports.js';
import type { TaskService } from '../service/task-service.js';

export interface RouteContext {
  service: TaskService;
  pool: SessionPool;
  transport: TransportKind;
  version: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the API-key check for protected operations. */
    apiKey?: ApiKeyIdentity;
  }
}

export type { Request };
