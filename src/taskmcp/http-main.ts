#!/usr/bin/env node
/**
 * Standalone Streamable HTTP server: `node dist/src/taskmcp/http-main.js`. Environment: PORT (8765), HOST
 * (127.0.0.1), MCP_AUTH_TOKEN (require `Authorization: Bearer <token>`), MCP_ALLOWED_HOSTS (comma-separated
 * hostnames accepted in Host/Origin; default: loopback names when HOST is a loopback address), and the
 * TASK_MCP_* settings of entry-options.ts. Graceful on SIGTERM/SIGINT.
 */
import express from 'express';
import { entryOptionsFromEnv } from './entry-options.js';
import { createTaskMcpHttpRouter } from './http.js';
import { guardProcessIo, logLine } from './process-io.js';
import { openStore } from './store.js';

const log = (msg: string) => logLine('task-mcp-ts http', msg);
const port = Number(process.env.PORT ?? 8765);
const host = process.env.HOST ?? '127.0.0.1';
const options = entryOptionsFromEnv();
const store = openStore(options.store);
const allowedHosts = process.env.MCP_ALLOWED_HOSTS ? process.env.MCP_ALLOWED_HOSTS.split(',').map((h) => h.trim()).filter(Boolean) : undefined;
const app = express();
const router = createTaskMcpHttpRouter({
  path: '/mcp',
  store,
  strict: options.strict,
  authToken: process.env.MCP_AUTH_TOKEN || undefined,
  host,
  allowedHosts,
  log: (line) => logLine('task-mcp-ts', line),
});
app.use(router);

const httpServer = app.listen(port, host, () => log(`listening on http://${host}:${port}/mcp${process.env.MCP_AUTH_TOKEN ? ' (bearer token required)' : ''}`));

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 5000).unref();
  await router.closeAll();
  httpServer.close(() => {
    store.close();
    process.exit(0);
  });
}
guardProcessIo('task-mcp-ts http', () => void stop());
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
