/**
 * Streamable HTTP mounting for Express. One Server per HTTP session (a single server shared by several
 * session transports misroutes replies), all sessions on one store; created_by/updated_by use the
 * mcp-session-id, as FastMCP does over HTTP.
 *
 * In front of the transport, in this order:
 * 1. DNS-rebinding protection as the SDK's `createMcpExpressApp` applies it: the Host header must name an
 *    allowed host (by default, when bound to a loopback address: localhost, 127.0.0.1, [::1]), and a
 *    browser's Origin header, when present, must too. 403 otherwise.
 * 2. Bearer auth when `authToken` is set: `Authorization: Bearer <token>`, compared in constant time;
 *    401 otherwise, logged once per request (never the token).
 * 3. The JSON body parser, so refused requests are not read.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { createTaskMcpServer } from './server.js';
import { openStore, type Store } from './store.js';

export interface TaskMcpHttpOptions {
  /** Mount path (default "/mcp"). */
  path?: string;
  /** The connections to use; or `home` for a store the router opens (and closes in close()). */
  store?: Store;
  home?: string;
  /** Only task-mcp's 22 tools. */
  strict?: boolean;
  /** Max JSON body size (default "4mb"). */
  bodyLimit?: string;
  /** When set, every request needs `Authorization: Bearer <authToken>`. */
  authToken?: string;
  /** The address the server listens on (default 127.0.0.1): loopback addresses get localhost-only Host checks. */
  host?: string;
  /** Hostnames (no port; IPv6 in brackets) accepted in Host and Origin. Overrides the loopback default. */
  allowedHosts?: string[];
  /** Where refusals are logged (default stderr). */
  log?: (line: string) => void;
}

export interface TaskMcpHttpRouter extends Router {
  /** Number of live sessions. */
  sessionCount(): number;
  /** Close every session (graceful shutdown). */
  closeAll(): Promise<void>;
  /** closeAll(), then close the store if the router opened it. */
  close(): Promise<void>;
}

function rpcError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

const LOOPBACK_BINDS = ['127.0.0.1', 'localhost', '::1'];
const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'];

/** The SDK's Host check, plus the same list applied to a browser's Origin header. */
function rebindingProtection(options: TaskMcpHttpOptions, log: (line: string) => void): RequestHandler[] {
  const host = options.host ?? '127.0.0.1';
  const allowed = options.allowedHosts ?? (LOOPBACK_BINDS.includes(host) ? LOOPBACK_HOSTNAMES : undefined);
  if (!allowed) {
    log(`task-mcp http: listening on ${host} without Host/Origin checks; set allowedHosts (MCP_ALLOWED_HOSTS) or use a token`);
    return [];
  }
  const origin: RequestHandler = (req, res, next) => {
    const value = req.headers.origin;
    if (value === undefined) return next();
    let hostname: string | undefined;
    try {
      hostname = new URL(value).hostname;
    } catch {
      hostname = undefined;
    }
    if (hostname !== undefined && allowed.includes(hostname)) return next();
    rpcError(res, 403, -32000, `Invalid Origin: ${value}`);
  };
  return [hostHeaderValidation(allowed), origin];
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

function bearerAuth(token: string, log: (line: string) => void): RequestHandler {
  const expected = digest(token);
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    // Digests have one length, so timingSafeEqual never throws and the comparison time says nothing.
    if (m && timingSafeEqual(digest(m[1]), expected)) return next();
    log(`task-mcp http: 401 ${req.method} ${req.originalUrl} from ${req.ip ?? req.socket.remoteAddress ?? '?'}: ${header === undefined ? 'no Authorization header' : 'invalid bearer token'}`);
    res.setHeader('WWW-Authenticate', 'Bearer');
    rpcError(res, 401, -32001, 'Unauthorized: a valid bearer token is required');
  };
}

export function createTaskMcpHttpRouter(options: TaskMcpHttpOptions): TaskMcpHttpRouter {
  if (!options.store && !options.home) throw new Error('createTaskMcpHttpRouter needs a store or a home directory');
  const mount = options.path ?? '/mcp';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const ownedStore = options.store ? undefined : openStore({ home: options.home! });
  const store = options.store ?? ownedStore!;
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: Server }>();
  const router = express.Router() as TaskMcpHttpRouter;
  router.use(mount, ...rebindingProtection(options, log));
  if (options.authToken) router.use(mount, bearerAuth(options.authToken, log));
  router.use(mount, express.json({ limit: options.bodyLimit ?? '4mb' }));

  const existing = (req: Request, res: Response) => {
    const id = req.header('mcp-session-id');
    if (!id) {
      rpcError(res, 400, -32000, 'Bad Request: No valid session ID provided');
      return undefined;
    }
    const s = sessions.get(id);
    if (!s) rpcError(res, 404, -32001, 'Session not found');
    return s;
  };

  router.post(mount, async (req, res) => {
    try {
      const id = req.header('mcp-session-id');
      if (id) {
        const s = sessions.get(id);
        if (!s) return rpcError(res, 404, -32001, 'Session not found');
        return await s.transport.handleRequest(req, res, req.body);
      }
      if (!isInitializeRequest(req.body)) return rpcError(res, 400, -32000, 'Bad Request: No valid session ID provided');
      const server = createTaskMcpServer({ store, strict: options.strict });
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sid) => {
          sessions.set(sid, { transport, server });
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
        void server.close().catch(() => undefined);
      };
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    } catch (err) {
      log(`task-mcp http: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal server error');
    }
  });

  const passthrough = async (req: Request, res: Response) => {
    const s = existing(req, res);
    if (!s) return;
    try {
      await s.transport.handleRequest(req, res);
    } catch (err) {
      log(`task-mcp http: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal server error');
    }
  };
  router.get(mount, passthrough);
  router.delete(mount, passthrough);

  router.sessionCount = () => sessions.size;
  router.closeAll = async () => {
    const all = [...sessions.values()];
    sessions.clear();
    await Promise.all(all.map(async (s) => {
      await s.transport.close().catch(() => undefined);
      await s.server.close().catch(() => undefined);
    }));
  };
  router.close = async () => {
    await router.closeAll();
    ownedStore?.close();
  };
  return router;
}
