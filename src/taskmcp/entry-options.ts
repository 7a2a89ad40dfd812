/**
 * The environment of the entry points (stdio-main, http-main, worker-main), read in this one place; the
 * server, store and router take plain options.
 *   TASK_MCP_HOME             storage root (default ~/.task-mcp)
 *   TASK_MCP_STRICT=true      only task-mcp's 22 tools
 *   TASK_MCP_SYNCHRONOUS      FULL (default, task-mcp's durability) or NORMAL (see README)
 *   TASK_MCP_MAX_CONNECTIONS  open project databases kept per process (default 64)
 */
import { resolveTaskMcpHome } from './paths.js';
import type { StoreOptions, Synchronous } from './store.js';

export interface EntryOptions {
  store: StoreOptions;
  strict: boolean;
}

export function entryOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): EntryOptions {
  const sync = (env.TASK_MCP_SYNCHRONOUS ?? 'FULL').toUpperCase();
  if (sync !== 'FULL' && sync !== 'NORMAL') throw new Error(`TASK_MCP_SYNCHRONOUS must be FULL or NORMAL, got ${env.TASK_MCP_SYNCHRONOUS}`);
  const max = env.TASK_MCP_MAX_CONNECTIONS ? Number(env.TASK_MCP_MAX_CONNECTIONS) : undefined;
  if (max !== undefined && !(Number.isInteger(max) && max >= 1)) throw new Error(`TASK_MCP_MAX_CONNECTIONS must be a positive integer, got ${env.TASK_MCP_MAX_CONNECTIONS}`);
  return {
    store: { home: resolveTaskMcpHome(env), synchronous: sync as Synchronous, maxProjectConnections: max },
    strict: env.TASK_MCP_STRICT === 'true',
  };
}
