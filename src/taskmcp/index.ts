/**
 * Public API of the embedded, task-mcp-compatible MCP server (used by the REST service and tests).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { stdioEntryPath } from './entry.js';
import { createTaskMcpServer, type TaskMcpServerOptions } from './server.js';

export { createTaskMcpServer, SERVER_NAME, SERVER_VERSION, type TaskMcpServerOptions } from './server.js';
export { createTaskMcpHttpRouter, type TaskMcpHttpOptions, type TaskMcpHttpRouter } from './http.js';
export { openStore, Store, type StoreOptions, type Synchronous } from './store.js';
export { resolveTaskMcpHome, resolveWorkspacePath, projectIdFor, hash8 } from './paths.js';
export { CONTRACT_TOOL_ORDER, EXTENSION_TOOL_NAMES } from './tools/index.js';
export { startTaskMcpWorker, type TaskMcpWorker, type TaskMcpWorkerOptions } from './worker.js';
export { MessagePortTransport } from './message-port-transport.js';

export { stdioEntryPath, workerEntryPath } from './entry.js';

/** Same as stdioEntryPath(), computed once at import. */
export const STDIO_ENTRY: string = stdioEntryPath();

export interface InMemoryConnection {
  client: Client;
  server: Server;
  close(): Promise<void>;
}

/** A Client connected to a fresh in-process server through InMemoryTransport.createLinkedPair(). */
export async function connectInMemory(options: TaskMcpServerOptions, clientInfo = { name: 'task-mcp-inmemory', version: '0.1.0' }): Promise<InMemoryConnection> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createTaskMcpServer(options);
  await server.connect(serverSide);
  const client = new Client(clientInfo);
  await client.connect(clientSide);
  return {
    client,
    server,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
