#!/usr/bin/env node
/**
 * task-mcp-compatible MCP server on stdio (`npm run mcp`, `npx task-mcp-ts`). stdout is the protocol:
 * everything else goes to stderr, and no input may crash the process.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createTaskMcpServer } from './server.js';
import { closeAllStores } from './store.js';

const log = (msg: string) => process.stderr.write(`task-mcp-ts: ${msg}\n`);

process.on('uncaughtException', (err) => log(`uncaught: ${err.stack ?? err.message}`));
process.on('unhandledRejection', (err) => log(`unhandled rejection: ${err instanceof Error ? err.stack : String(err)}`));

const server = createTaskMcpServer();
const transport = new StdioServerTransport();
transport.onerror = (err) => log(`transport error: ${err.message}`);

let closing = false;
async function shutdown(code: number): Promise<void> {
  if (closing) return;
  closing = true;
  await server.close().catch(() => undefined);
  closeAllStores();
  process.exit(code);
}
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
process.stdin.on('end', () => void shutdown(0));
process.stdin.on('close', () => void shutdown(0));

server.connect(transport).catch((err: Error) => {
  log(`failed to start: ${err.stack ?? err.message}`);
  process.exit(1);
});
