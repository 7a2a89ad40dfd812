#!/usr/bin/env node
/**
 * task-mcp-compatible MCP server on stdio (`npm run mcp`, `npx task-mcp-ts`). stdout is the protocol:
 * everything else goes to stderr, no input may crash the process, and a client that closes our pipes
 * ends the process (process-io.ts). Settings come from the environment (entry-options.ts).
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { entryOptionsFromEnv } from './entry-options.js';
import { guardProcessIo, logLine } from './process-io.js';
import { createTaskMcpServer } from './server.js';
import { openStore } from './store.js';

const log = (msg: string) => logLine('task-mcp-ts', msg);

const options = entryOptionsFromEnv();
const store = openStore(options.store);
const server = createTaskMcpServer({ store, strict: options.strict });
const transport = new StdioServerTransport();
transport.onerror = (err) => log(`transport error: ${err.message}`);

let closing = false;
async function shutdown(code: number): Promise<void> {
  if (closing) return;
  closing = true;
  await server.close().catch(() => undefined);
  store.close();
  process.exit(code);
}
guardProcessIo('task-mcp-ts', (code) => void shutdown(code));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
process.stdin.on('end', () => void shutdown(0));
process.stdin.on('close', () => void shutdown(0));

server.connect(transport).catch((err: Error) => {
  log(`failed to start: ${err.stack ?? err.message}`);
  process.exit(1);
});
