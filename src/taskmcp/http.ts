/**
 * Streamable HTTP mounting for Express. One McpServer per HTTP session: a single McpServer shared by
 * several session transports misroutes replies. created_by/updated_by use the mcp-session-id (§3.6).
 */
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { createTaskMcpServer } from './server.js';

export interface TaskMcpHttpOptions {
  /** Mount path (default "/mcp"). */
  path?: string;
  /** Storage root (default TASK_MCP_HOME or ~/.task-mcp). */
  home?: string;
  /** Max JSON body size (default "4mb"). */
  bodyLimit?: string;
}

export interface TaskMcpHttpRouter extends Router {
  /** Number of live sessions. */
  sessionCount(): number;
  /** Close every session (graceful shutdown). */
  closeAll(): Promise<void>;
}

function rpcError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

export function createTaskMcpHttpRouter(options: TaskMcpHttpOptions = {}): TaskMcpHttpRouter {
  const mount = options.path ?? '/mcp';
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: McpServer }>();
  const router = express.Router() as TaskMcpHttpRouter;
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
      const server = createTaskMcpServer({ home: options.home });
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
      process.stderr.write(`task-mcp http: ${err instanceof Error ? err.stack : String(err)}\n`);
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal server error');
    }
  });

  const passthrough = async (req: Request, res: Response) => {
    const s = existing(req, res);
    if (!s) return;
    try {
      await s.transport.handleRequest(req, res);
    } catch (err) {
      process.stderr.write(`task-mcp http: ${err instanceof Error ? err.stack : String(err)}\n`);
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
  return router;
}
