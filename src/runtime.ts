/**
 * Wires the service layer: session pool -> gateway -> workspace resolver -> task service.
 * `start()` opens the MCP sessions and loads the project registry; `close()` ends every session.
 */
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { McpGateway } from './mcp/gateway.js';
import { SessionPool } from './mcp/pool.js';
import { createSessionFactory } from './mcp/transports.js';
import { TaskService } from './service/task-service.js';
import { WorkspaceResolver } from './service/workspace-resolver.js';

export interface Runtime {
  pool: SessionPool;
  gateway: McpGateway;
  service: TaskService;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createRuntime(config: Config, log: Logger): Runtime {
  const factory = createSessionFactory(
    {
      kind: config.MCP_TRANSPORT,
      taskMcpHome: config.TASK_MCP_HOME,
      command: config.MCP_COMMAND,
      args: config.mcpArgs,
      url: config.MCP_URL,
      connectTimeoutMs: config.MCP_CONNECT_TIMEOUT_MS,
    },
    log,
  );
  const pool = new SessionPool(
    factory,
    { size: config.MCP_POOL_SIZE, acquireTimeoutMs: config.MCP_ACQUIRE_TIMEOUT_MS, maxWaiting: config.MCP_MAX_WAITING },
    log,
  );
  const gateway = new McpGateway(pool, { callTimeoutMs: config.MCP_CALL_TIMEOUT_MS }, log);
  const resolver = new WorkspaceResolver(
    { listProjects: () => gateway.call('list_projects', {}) },
    {
      defaultProjectId: config.DEFAULT_PROJECT_ID,
      defaultWorkspacePath: config.DEFAULT_WORKSPACE_PATH,
      allowedRoots: config.ALLOWED_WORKSPACE_ROOTS,
    },
  );
  const service = new TaskService(gateway, resolver);

  return {
    pool,
    gateway,
    service,
    async start() {
      await pool.start();
      // The registry is loaded eagerly; a backend that is down now is retried on the first request.
      await resolver.refresh().catch((err: unknown) => log.warn({ err }, 'could not load the project registry yet'));
    },
    close: () => pool.close(),
  };
}
