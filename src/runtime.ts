/**
 * Wires the service layer: session pool -> gateway -> cache-aware tool backend -> read and write
 * services, plus the workspace resolver and the idempotency guard.
 * `start()` opens the MCP sessions and loads the project registry; `close()` ends every session.
 */
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { MemoryCacheStore, MemoryIdempotencyStore } from './cache/memory-store.js';
import { ReadCache } from './cache/read-cache.js';
import { IdempotencyGuard } from './http/idempotency.js';
import { McpBreaker } from './mcp/breaker.js';
import { McpGateway } from './mcp/gateway.js';
import { Metrics } from './observability/metrics.js';
import { SessionPool } from './mcp/pool.js';
import { createSessionFactory } from './mcp/transports.js';
import { TaskService } from './service/task-service.js';
import { ToolBackend } from './service/tool-backend.js';
import { WorkspaceResolver } from './service/workspace-resolver.js';
import { WriteService } from './service/write-service.js';

export interface Runtime {
  pool: SessionPool;
  breaker: McpBreaker;
  gateway: McpGateway;
  metrics: Metrics;
  cache: ReadCache;
  service: TaskService;
  writes: WriteService;
  idempotency: IdempotencyGuard;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createRuntime(config: Config, log: Logger): Runtime {
  const metrics = new Metrics();
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
    {
      size: config.MCP_POOL_SIZE,
      acquireTimeoutMs: config.MCP_ACQUIRE_TIMEOUT_MS,
      maxWaiting: config.MCP_MAX_WAITING,
      onAcquired: (seconds) => metrics.poolWait.observe(seconds),
    },
    log,
  );
  metrics.watchPool(pool);
  const target = config.MCP_TRANSPORT === 'http' ? `http:${config.MCP_URL}` : config.MCP_TRANSPORT === 'stdio' ? `stdio:${config.MCP_COMMAND}` : config.MCP_TRANSPORT;
  const breaker = new McpBreaker(
    target,
    {
      errorThresholdPercentage: config.BREAKER_ERROR_THRESHOLD_PERCENTAGE,
      volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
      resetTimeoutMs: config.BREAKER_RESET_TIMEOUT_MS,
      rollingWindowMs: config.BREAKER_ROLLING_WINDOW_MS,
    },
    log,
    (state) => metrics.setBreakerState(target, state),
  );
  metrics.setBreakerState(target, 'closed');
  const gateway = new McpGateway(
    pool,
    breaker,
    {
      callTimeoutMs: config.MCP_CALL_TIMEOUT_MS,
      onCall: (tool, outcome, seconds) => {
        metrics.toolCalls.inc({ tool, outcome });
        metrics.toolDuration.observe({ tool }, seconds);
      },
    },
    log,
  );
  const cache = new ReadCache(new MemoryCacheStore(config.CACHE_MAX_ENTRIES), {
    ttlMs: config.CACHE_TTL_MS,
    onLookup: (result) => metrics.cacheRequests.inc({ result }),
  });
  const backend = new ToolBackend(gateway, cache);
  const resolver = new WorkspaceResolver(
    // Always fresh: the resolver keeps its own copy of the registry.
    { listProjects: () => backend.read('list_projects', {}, { fresh: true }) },
    {
      defaultProjectId: config.DEFAULT_PROJECT_ID,
      defaultWorkspacePath: config.DEFAULT_WORKSPACE_PATH,
      allowedRoots: config.ALLOWED_WORKSPACE_ROOTS,
    },
  );
  const service = new TaskService(backend, resolver);
  const writes = new WriteService(backend, service);
  const idempotency = new IdempotencyGuard(new MemoryIdempotencyStore(config.IDEMPOTENCY_MAX_KEYS), {
    ttlMs: config.IDEMPOTENCY_TTL_MS,
    waitMs: config.MCP_CALL_TIMEOUT_MS + config.MCP_ACQUIRE_TIMEOUT_MS,
  });

  return {
    pool,
    breaker,
    gateway,
    metrics,
    cache,
    service,
    writes,
    idempotency,
    async start() {
      await pool.start();
      pool.startIdleChecks(config.MCP_PING_INTERVAL_MS, Math.min(config.MCP_CALL_TIMEOUT_MS, 5_000));
      // The registry is loaded eagerly; a backend that is down now is retried on the first request.
      await resolver.refresh().catch((err: unknown) => log.warn({ err }, 'could not load the project registry yet'));
    },
    async close() {
      breaker.shutdown();
      await pool.close();
    },
  };
}
