/** One MCP session over a child process's stdin/stdout (the embedded and stdio transports). */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Logger } from 'pino';
import { CLIENT_INFO } from './client-info.js';
import type { OpenedSession } from './types.js';

/** Resolves once the process is gone (bounded: a process that cannot be killed is not waited for forever). */
async function exited(pid: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

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
  const pid = transport.pid ?? undefined;
  return {
    client,
    pid,
    close: () => client.close(),
    terminate: async () => {
      // SIGKILL works on a frozen (SIGSTOPped) or busy child too; its open transaction rolls back.
      if (pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
        await exited(pid);
      }
      await client.close().catch(() => undefined);
    },
  };
}
