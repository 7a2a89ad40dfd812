/**
 * The HTTP service: the fast path for cached answers (src/http/fast-path.ts) in front of the Express
 * app, both using the same protections (key check, rate limiter, security headers, metrics, log).
 * Express's order matters:
 *   request id -> drain -> metrics -> log -> security headers, CORS -> compression -> caller identity
 *   -> rate limits -> request deadline -> JSON body (+ depth/surrogate checks) -> HEAD as GET
 *   -> OpenAPI validator (validation, API-key security from the spec, unknown routes)
 *   -> typed handlers by operationId (answers from the response cache when it has them)
 *   -> one error format.
 */
import type { RequestListener } from 'node:http';
import compression from 'compression';
import { isExportPath } from './export/export-stream.js';
import express, { type Express } from 'express';
import type { Store } from 'express-rate-limit';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { docsHandlers } from './docs/docs-routes.js';
import type { ApiKeyVerifier } from './http/api-keys.js';
import { checkJsonBody } from './http/body-checks.js';
import type { Drain } from './http/drain.js';
import { requestContext } from './request-context.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { allowHeaderOn405, allowedMethods, headAsGet } from './http/methods.js';
import { FastPath, requestHandler } from './http/fast-path.js';
import { corsPolicy, identifyApiKey, requestDeadline, securityHeaders } from './http/protection.js';
import { RateLimiter, rateLimitMiddleware } from './http/rate-limit.js';
import { ResponseCache } from './http/response-cache.js';
import { requestId } from './http/request-id.js';
import { cacheValidatorRoutes } from './http/validator-route-cache.js';
import { type OperationHandlers, dispatch } from './http/typed-routes.js';
import type { TransportKind } from './mcp/transports/index.js';
import { httpMetrics } from './observability/http-metrics.js';
import { requestLog } from './observability/request-log.js';
import { entityHandlers } from './routes/entities.js';
import { eventHandlers } from './routes/events.js';
import { healthHandlers } from './routes/health.js';
import { projectHandlers } from './routes/projects.js';
import { taskHandlers } from './routes/tasks.js';
import type { Runtime } from './runtime.js';
import { OPENAPI_PATH, VERSION } from './version.js';
import { webHandlers } from './web/web-routes.js';

export interface AppOptions {
  runtime: Pick<Runtime, 'services' | 'idempotency' | 'pool' | 'breaker' | 'metrics' | 'cache' | 'events' | 'tokens' | 'watcher' | 'store' | 'redis' | 'worker'> & Partial<Pick<Runtime, 'rateLimitStores'>>;
  transport: TransportKind;
  verifier: ApiKeyVerifier;
  log: Logger;
  /** Validate every response against the spec (tests, VALIDATE_RESPONSES=true). */
  validateResponses: boolean;
  corsOrigins: string[];
  rateLimit: { perMinute: number; perHour: number; stores?: { minute?: Store; hour?: Store }; passOnStoreError?: boolean; onStoreError?: (err: unknown) => void };
  /** Bytes of ready answers kept for the fast path (0: none). */
  responseCacheBytes: number;
  cacheTtlMs: number;
  requestTimeoutMs: number;
  trustProxy: boolean | number | string;
  bodyLimit: string;
  /** The web app's build (default clients/task-viewer-web/dist). */
  webDist?: string;
  /** Graceful shutdown at the edge (service-host); absent in tests that never stop. */
  drain?: Drain;
}

export interface ServiceApp {
  /** The Express app alone (the slow path). */
  app: Express;
  /** What a Node HTTP server should run: the fast path, then Express. */
  handle: RequestListener;
  close(): Promise<void>;
}

export function createApp(options: AppOptions): ServiceApp {
  const { log, verifier, runtime } = options;
  const limiter = new RateLimiter(options.rateLimit);
  const answers =
    options.responseCacheBytes > 0
      ? new ResponseCache(runtime.cache, { maxBytes: options.responseCacheBytes, ttlMs: options.cacheTtlMs, onHit: () => runtime.metrics.cacheRequests.inc({ result: 'answer' }) })
      : undefined;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);

  app.use(requestId());
  if (options.drain) app.use(options.drain.middleware());
  app.use(httpMetrics(runtime.metrics));
  app.use(requestLog(log));
  app.use(securityHeaders());
  app.use(corsPolicy(options.corsOrigins));
  // Exports compress themselves, faster (src/export/export-stream.ts).
  app.use(compression({ threshold: 1024, filter: (req, res) => !isExportPath(req.path) && compression.filter(req, res) }));
  app.use(identifyApiKey(verifier, runtime.tokens));
  // The request's id and caller follow its async work into the lower layers (fair session queues, logs).
  app.use((req, _res, next) => requestContext.run({ requestId: req.requestId, caller: req.apiKey?.id }, next));
  app.use(rateLimitMiddleware(limiter));
  app.use(requestDeadline(options.requestTimeoutMs));
  app.use(express.json({ limit: options.bodyLimit }));
  app.use(checkJsonBody());
  app.use(headAsGet());

  cacheValidatorRoutes();
  app.use(
    OpenApiValidator.middleware({
      apiSpec: OPENAPI_PATH,
      validateRequests: { allowUnknownQueryParameters: false },
      validateResponses: options.validateResponses,
      validateSecurity: {
        handlers: {
          // identifyApiKey already accepted an events token on the one route that takes one.
          EventsToken: (req) => !!req.apiKey,
          ApiKeyAuth: (req) => {
            if (req.apiKey) return true;
            // Logged without the key itself.
            log.warn({ request_id: req.requestId, path: req.path, key_present: !!req.get('x-api-key') }, 'rejected API key');
            return false;
          },
        },
      },
    }),
  );

  const ctx = { ...runtime, transport: options.transport, version: VERSION };
  const resolveWorkspace = async (selector: { project_id?: string; workspace_path?: string }) => {
    const ws = await runtime.services.resolver.resolve(selector);
    runtime.watcher?.touch(ws.workspacePath, ws.projectId);
    return ws;
  };
  // Typed as the full map: an operation in openapi.yaml without a handler fails to compile.
  const handlers: OperationHandlers = {
    ...healthHandlers(ctx),
    ...projectHandlers(ctx),
    ...taskHandlers(ctx),
    ...entityHandlers(ctx),
    ...eventHandlers(ctx),
    ...docsHandlers(),
    ...webHandlers(options.webDist),
  };
  app.use(dispatch(handlers, { resolveWorkspace, answers, validateResponses: options.validateResponses }));

  app.use(notFoundHandler());
  app.use(allowHeaderOn405(allowedMethods(OPENAPI_PATH)));
  app.use(errorHandler(log));

  const fast = answers
    ? new FastPath({ specPath: OPENAPI_PATH, verifier, limiter, cache: answers, resolver: runtime.services.resolver, metrics: runtime.metrics, log, drain: options.drain })
    : undefined;
  return { app, handle: requestHandler(fast, app), close: () => limiter.shutdown() };
}

/** The app as configured by the environment. */
export function createConfiguredApp(
  config: Config,
  runtime: AppOptions['runtime'],
  verifier: ApiKeyVerifier,
  log: Logger,
  extra: Partial<Pick<AppOptions, 'webDist' | 'drain' | 'rateLimit'>> = {},
): ServiceApp {
  return createApp({
    runtime,
    transport: config.MCP_TRANSPORT,
    verifier,
    log,
    validateResponses: config.VALIDATE_RESPONSES,
    corsOrigins: config.CORS_ORIGINS,
    // Shared in Redis when REDIS_URL is set (src/http/shared-rate-limit-store.ts), else per process.
    rateLimit: { perMinute: config.RATE_LIMIT_PER_MINUTE, perHour: config.RATE_LIMIT_PER_HOUR, stores: runtime.rateLimitStores },
    responseCacheBytes: config.CACHE_TTL_MS > 0 ? config.RESPONSE_CACHE_MB * 1024 * 1024 : 0,
    cacheTtlMs: config.CACHE_TTL_MS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    trustProxy: config.trustProxy,
    bodyLimit: config.BODY_LIMIT,
    ...extra,
  });
}
