/**
 * Wires the service layer: session pool -> circuit breaker -> gateway -> cache-aware services, plus
 * the idempotency guard. `start()` opens the MCP sessions and loads the project registry; `close()`
 * ends every session.
 */
import type { Logger } from 'pino';
import type { Config } from './config.js';
import cluster from 'node:cluster';
import type { Store } from 'express-rate-limit';
import { MemoryCacheStore, MemoryIdempotencyStore } from './cache/memory-store.js';
import { ReadCache } from './cache/read-cache.js';
import { RedisIdempotencyStore } from './cache/redis-idempotency-store.js';
import { RedisCacheStore } from './cache/redis-store.js';
import type { CacheStore, IdempotencyStore } from './cache/store.js';
import { RedisEventBus } from './events/redis-bus.js';
import { RedisDedupStore } from './events/redis-dedup.js';
import { RedisTokenStore } from './events/redis-token-store.js';
import { SharedRateLimitStore } from './http/shared-rate-limit-store.js';
import { RedisConnection } from './redis/connection.js';
import { IdempotencyGuard } from './http/idempotency.js';
import { McpBreaker } from './mcp/breaker.js';
import { McpGateway } from './mcp/gateway.js';
import { SessionPool } from './mcp/pool.js';
import { TRANSPORTS, type TransportSettings } from './mcp/transports/index.js';
import { Metrics } from './observability/metrics.js';
import { MemoryEventBus, type EventBus } from './events/bus.js';
import { ChangePublisher } from './events/change-publisher.js';
import { ChangeWatcher } from './events/change-watcher.js';
import { EventHub } from './events/event-hub.js';
import { MemoryDedupStore } from './events/memory-dedup.js';
import { EventTokens, MemoryTokenStore, type TokenStore } from './events/tokens.js';
import { type Services, createServices } from './service/index.js';
import { type StoreState, cachedStoreCheck } from './store-check.js';

export interface Runtime {
  /** The transport's label for logs, metrics and health (e.g. `embedded`, `http:host:8765`). */
  target: string;
  pool: SessionPool;
  breaker: McpBreaker;
  gateway: McpGateway;
  metrics: Metrics;
  cache: ReadCache;
  services: Services;
  idempotency: IdempotencyGuard;
  bus: EventBus;
  events: EventHub;
  tokens: EventTokens;
  /** Finds writes made straight to the task-mcp files (local stores only). */
  watcher: ChangeWatcher | undefined;
  /** The local store's state (`checked: false` when the backend is remote). */
  store(): { checked: boolean } & StoreState;
  /** Redis as /health reports it (read at each access). */
  redis: RedisHealth;
  /** The Redis connection (REDIS_URL), shared by every Redis-backed store. */
  redisConnection?: RedisConnection;
  /** The rate limiters' stores: shared in Redis when REDIS_URL is set, else the limiter's own. */
  rateLimitStores?: { minute: Store; hour: Store };
  /** Which cluster worker this is (0 outside cluster mode). */
  worker: { pid: number; id: number };
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface RedisHealth {
  configured: boolean;
  status: 'disabled' | 'ready' | 'down';
  latency_ms?: number;
  /** `shared`: counted in Redis; `per_instance`: each instance counts alone (Redis down, or not configured). */
  rate_limits: 'shared' | 'per_instance';
}

/** How long start-up waits for Redis before starting degraded (it keeps reconnecting). */
const REDIS_START_WAIT_MS = 3_000;

/** The shared stores when REDIS_URL is set. */
function redisStores(config: Config, log: Logger, metrics: Metrics) {
  const connection = new RedisConnection(
    { url: config.REDIS_URL!, keyPrefix: config.REDIS_KEY_PREFIX, commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS, onError: () => metrics.redisErrors.inc() },
    log,
  );
  return {
    connection,
    cache: new RedisCacheStore(connection),
    tokens: new RedisTokenStore(connection),
    bus: new RedisEventBus(connection, config.REDIS_COMMAND_TIMEOUT_MS),
    dedup: new RedisDedupStore(connection),
  };
}

export function transportSettings(config: Config): TransportSettings {
  return {
    taskMcpHome: config.TASK_MCP_HOME,
    command: config.MCP_COMMAND,
    args: config.mcpArgs,
    url: config.MCP_URL,
    connectTimeoutMs: config.MCP_CONNECT_TIMEOUT_MS,
    callTimeoutMs: config.MCP_CALL_TIMEOUT_MS,
    // The embedded server's own setting; stdio children read it from their environment.
    strict: process.env.TASK_MCP_STRICT === 'true',
    authToken: config.MCP_AUTH_TOKEN,
  };
}

export function createRuntime(config: Config, log: Logger): Runtime {
  const metrics = new Metrics();
  const transport = TRANSPORTS[config.MCP_TRANSPORT];
  const settings = transportSettings(config);
  const target = transport.label(settings);
  const pool = new SessionPool(
    transport.open(settings, log),
    {
      size: config.MCP_POOL_SIZE,
      acquireTimeoutMs: config.MCP_ACQUIRE_TIMEOUT_MS,
      maxWaiting: config.MCP_MAX_WAITING,
      maxWaitingPerOwner: config.MCP_MAX_WAITING_PER_KEY,
      onAcquired: (seconds) => metrics.poolWait.observe(seconds),
    },
    log,
  );
  metrics.watchPool(pool);
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
      notDelivered: transport.notDelivered,
      onCall: (tool, outcome, seconds) => {
        metrics.toolCalls.inc({ tool, outcome });
        metrics.toolDuration.observe({ tool }, seconds);
      },
    },
    log,
  );
  const shared = config.REDIS_URL ? redisStores(config, log, metrics) : undefined;
  const cacheStore: CacheStore = shared?.cache ?? new MemoryCacheStore(config.CACHE_MAX_ENTRIES);
  const cache = new ReadCache(cacheStore, {
    ttlMs: config.CACHE_TTL_MS,
    onLookup: (result) => metrics.cacheRequests.inc({ result }),
  });
  const bus: EventBus = shared?.bus ?? new MemoryEventBus();
  const notifier = new ChangePublisher(bus, shared?.dedup ?? new MemoryDedupStore(), log);
  const services = createServices({
    gateway,
    cache,
    resolver: { defaultProjectId: config.DEFAULT_PROJECT_ID, defaultWorkspacePath: config.DEFAULT_WORKSPACE_PATH, allowedRoots: config.ALLOWED_WORKSPACE_ROOTS },
    notifier,
    log,
  });
  const events = new EventHub(bus, { heartbeatMs: 15_000, maxBufferedBytes: 256 * 1024, retryMs: 2_000 }, (open) => metrics.sseConnections.set(open));
  const tokenStore: TokenStore = shared?.tokens ?? new MemoryTokenStore();
  const tokens = new EventTokens(tokenStore);
  const watcher = transport.localStore
    ? new ChangeWatcher(
        { home: config.TASK_MCP_HOME, intervalMs: config.CHANGE_POLL_MS, maxWatched: 32, idleMs: 10 * 60_000, interests: () => events.interests() },
        cache,
        services,
        notifier,
        log,
      )
    : undefined;
  const storeCheck = cachedStoreCheck(config.TASK_MCP_HOME);
  const store = () => (transport.localStore ? { checked: true, ...storeCheck() } : { checked: false, writable: true });
  const waitMs = config.MCP_CALL_TIMEOUT_MS + config.MCP_ACQUIRE_TIMEOUT_MS;
  // The call timeout plus time to stop the session that ran it (a remote server: another timeout).
  const settleMs = 2 * config.MCP_CALL_TIMEOUT_MS + 10_000;
  const idempotencyStore: IdempotencyStore = shared
    ? new RedisIdempotencyStore(shared.connection, {
        // Longer than any request can hold a claim (waiting for a session, then the call).
        leaseMs: waitMs + settleMs,
        // One answer is one resource; the total is bounded by the TTL and Redis's maxmemory.
        maxRecordBytes: Math.min(config.IDEMPOTENCY_MAX_MB * 1024 * 1024, 1024 * 1024),
      })
    : new MemoryIdempotencyStore(config.IDEMPOTENCY_MAX_KEYS, config.IDEMPOTENCY_MAX_MB * 1024 * 1024);
  const idempotency = new IdempotencyGuard(idempotencyStore, { ttlMs: config.IDEMPOTENCY_TTL_MS, waitMs, settleMs }, log);
  const connection = shared?.connection;
  const rateLimitStores = connection ? { minute: new SharedRateLimitStore(connection, 'minute'), hour: new SharedRateLimitStore(connection, 'hour') } : undefined;
  const redis: RedisHealth = {
    get configured() {
      return !!connection;
    },
    get status() {
      return connection ? connection.status : 'disabled';
    },
    get latency_ms() {
      return connection?.status === 'ready' ? connection.latencyMs : undefined;
    },
    get rate_limits() {
      return connection?.status === 'ready' ? 'shared' : 'per_instance';
    },
  };

  return {
    target,
    pool,
    breaker,
    gateway,
    metrics,
    cache,
    services,
    idempotency,
    bus,
    events,
    tokens,
    watcher,
    store,
    redis,
    redisConnection: connection,
    rateLimitStores,
    worker: { pid: process.pid, id: cluster.worker?.id ?? 0 },
    async start() {
      // Before the limiters exist (they load their scripts at once); a Redis that is down only degrades.
      if (connection && !(await connection.connect(REDIS_START_WAIT_MS))) log.warn({ url: redactedUrl(config.REDIS_URL!) }, 'starting without Redis: caching bypassed, Idempotency-Key answers 503, rate limits per instance, until it answers');
      else if (connection) await connection.ping();
      await pool.start();
      if (config.CHANGE_POLL_MS > 0) watcher?.start();
      pool.startIdleChecks(config.MCP_PING_INTERVAL_MS, Math.min(config.MCP_CALL_TIMEOUT_MS, 5_000));
      // The registry is loaded eagerly; a backend that is down now is retried on the first request.
      await services.resolver.refresh().catch((err: unknown) => log.warn({ err }, 'could not load the project registry yet'));
    },
    async close() {
      events.closeAll('the service is shutting down');
      watcher?.stop();
      breaker.shutdown();
      await pool.close();
      await bus.close();
      await connection?.close();
    },
  };
}

/** A Redis URL for logs: without its password. */
function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://?';
  }
}
