/** One MCP session over a child process's stdin/stdout (the embedded and stdio transports). */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Logger } from 'pino';
import { CLIENT_INFO } from './client-info.js';
import type { OpenedSession } from './types.js';

export async function openStdioSession(command: string, args: string[], env: Record<string, string>, connectTimeoutMs: number, log: Logger): Promise<OpenedSession> {
  const transport = new StdioClientTransport({ command, args, env, stderr: 'pipe' });
  transport.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log.debug({ mcp_stderr: line }, 'mcp child stderr');
  });
  const client = new Client(CLIENT_INFO);
  try {
    await client.connect(transport, { timeout: connectTimeoutMs });
  } catch (err) {
    await transport.close().catch(() => undefined);
    throw err;
  }
  return { client, pid: transport.pid ?? undefined, close: () => client.close() };
}
