#!/usr/bin/env node
/** Standalone Streamable HTTP server: `node dist/src/taskmcp/http-main.js` (env PORT, HOST=127.0.0.1). */
import express from 'express';
import { createTaskMcpHttpRouter } from './http.js';
import { closeAllStores } from './store.js';

const port = Number(process.env.PORT ?? 8765);
const host = process.env.HOST ?? '127.0.0.1';
const app = express();
const router = createTaskMcpHttpRouter({ path: '/mcp' });
app.use(router);

const httpServer = app.listen(port, host, () => process.stderr.write(`task-mcp-ts http listening on http://${host}:${port}/mcp\n`));

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await router.closeAll();
  httpServer.close(() => {
    closeAllStores();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
