/**
 * How one MCP client session is opened, for each `MCP_TRANSPORT`. A factory returns a connected
 * `Client` plus how to close it; the pool decides when to call it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Logger } from 'pino';
import { stdioEntryPath } from '../taskmcp/entry.js';

export type TransportKind = 'embedded' | 'stdio' | 'http' | 'inprocess';

export interface OpenedSession {
  client: Client;
  /** Child process id for stdio transports. */
  pid?: number;
  /** A short label for logs and metrics, e.g. "stdio:node". */
  target: string;
  close(): Promise<void>;
}

export type SessionFactory = () => Promise<OpenedSession>;

export interface TransportConfig {
  kind: TransportKind;
  /** Where the embedded / in-process server keeps its databases. */
  taskMcpHome: string;
  command?: string;
  args?: string[];
  url?: string;
  /** Handshake timeout for a new session. */
  connectTimeoutMs: number;
}

const CLIENT_INFO = { name: 'task-viewer-api', version: '0.1.0' };

/** Environment for children: the SDK's safe default set plus our own settings (the SDK passes nothing else). */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { ...getDefaultEnvironment() };
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('TASK_MCP_') && value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

async function connect(client: Client, transport: Parameters<Client['connect']>[0], timeoutMs: number): Promise<void> {
  await client.connect(transport, { timeout: timeoutMs });
}

function stdioFactory(command: string, args: string[], env: () => Record<string, string>, cfg: TransportConfig, log: Logger): SessionFactory {
  return async () => {
    // The environment is read at each spawn, so a replacement child sees current settings.
    const transport = new StdioClientTransport({ command, args, env: env(), stderr: 'pipe' });
    transport.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log.debug({ mcp_stderr: line }, 'mcp child stderr');
    });
    const client = new Client(CLIENT_INFO);
    try {
      await connect(client, transport, cfg.connectTimeoutMs);
    } catch (err) {
      await transport.close().catch(() => undefined);
      throw err;
    }
    return {
      client,
      pid: transport.pid ?? undefined,
      target: `stdio:${command.split('/').pop()}`,
      close: () => client.close(),
    };
  };
}

export function createSessionFactory(cfg: TransportConfig, log: Logger): SessionFactory {
  switch (cfg.kind) {
    case 'embedded':
      return stdioFactory(process.execPath, [stdioEntryPath()], () => childEnv({ TASK_MCP_HOME: cfg.taskMcpHome }), cfg, log);
    case 'stdio':
      if (!cfg.command) throw new Error('MCP_COMMAND is required when MCP_TRANSPORT=stdio');
      return stdioFactory(cfg.command, cfg.args ?? [], () => ({ ...(process.env as Record<string, string>), PYTHONUNBUFFERED: '1' }), cfg, log);
    case 'http': {
      if (!cfg.url) throw new Error('MCP_URL is required when MCP_TRANSPORT=http');
      const url = new URL(cfg.url);
      return async () => {
        const transport = new StreamableHTTPClientTransport(url);
        const client = new Client(CLIENT_INFO);
        await connect(client, transport, cfg.connectTimeoutMs);
        return {
          client,
          target: `http:${url.host}`,
          close: async () => {
            // close() alone leaves the server-side session behind: end it explicitly first.
            await transport.terminateSession().catch(() => undefined);
            await client.close();
          },
        };
      };
    }
    case 'inprocess':
      return async () => {
        // Imported lazily so the other transports never load SQLite into the API process.
        const { createTaskMcpServer } = await import('../taskmcp/index.js');
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        const server = createTaskMcpServer({ home: cfg.taskMcpHome });
        await server.connect(serverSide);
        const client = new Client(CLIENT_INFO);
        await connect(client, clientSide, cfg.connectTimeoutMs);
        return {
          client,
          target: 'inprocess',
          close: async () => {
            await client.close();
            await server.close();
          },
        };
      };
  }
}
