/**
 * The Express app: request ids and logs, then the OpenAPI validator (request validation, API-key
 * security from the spec, unknown routes -> 404), then the typed routes, then the one error format.
 */
import express, { type Express } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { ApiKeyVerifier } from './http/api-keys.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { requestId } from './http/request-id.js';
import type { TransportKind } from './mcp/transports.js';
import { type OperationHandlers, dispatch } from './http/typed-routes.js';
import { entityHandlers } from './routes/entities.js';
import { healthHandlers } from './routes/health.js';
import { projectHandlers } from './routes/projects.js';
import { taskHandlers } from './routes/tasks.js';
import type { Runtime } from './runtime.js';
import { OPENAPI_PATH, VERSION } from './version.js';

export interface AppOptions {
  runtime: Pick<Runtime, 'service' | 'writes' | 'idempotency' | 'pool'>;
  transport: TransportKind;
  verifier: ApiKeyVerifier;
  log: Logger;
  /** Validate every response against the spec (tests, VALIDATE_RESPONSES=true). */
  validateResponses: boolean;
}

export function createApp(options: AppOptions): Express {
  const { log, verifier } = options;
  const app = express();
  app.disable('x-powered-by');

  app.use(requestId());
  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req) => (req as express.Request).requestId,
      customProps: (req) => ({ request_id: (req as express.Request).requestId, api_key_id: (req as express.Request).apiKey?.id }),
      // Never log headers: they carry the API key.
      serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }), res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
    }),
  );
  app.use(express.json({ limit: '1mb' }));

  app.use(
    OpenApiValidator.middleware({
      apiSpec: OPENAPI_PATH,
      validateRequests: { allowUnknownQueryParameters: false },
      validateResponses: options.validateResponses,
      validateSecurity: {
        handlers: {
          ApiKeyAuth: (req) => {
            const identity = verifier.verify(req.get('x-api-key'));
            if (!identity) {
              // The key itself is never logged.
              log.warn({ request_id: (req as express.Request).requestId, path: req.path, key_present: !!req.get('x-api-key') }, 'rejected API key');
              return false;
            }
            (req as express.Request).apiKey = identity;
            return true;
          },
        },
      },
    }),
  );

  const { service, writes, idempotency, pool } = options.runtime;
  const ctx = { service, writes, idempotency, pool, transport: options.transport, version: VERSION };
  // Typed as the full map: an operation in openapi.yaml without a handler fails to compile.
  const handlers: OperationHandlers = {
    ...healthHandlers(ctx),
    ...projectHandlers(ctx),
    ...taskHandlers(ctx),
    ...entityHandlers(ctx),
  };
  app.use(dispatch(handlers));

  app.use(notFoundHandler());
  app.use(errorHandler(log));
  return app;
}
