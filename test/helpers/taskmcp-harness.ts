/** Shared helpers for the embedded task-mcp server tests: backends (stdio child / in-memory) and call helpers. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { connectInMemory } from '../../src/taskmcp/index.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const STDIO_MAIN = path.join(ROOT, 'dist/src/taskmcp/stdio-main.js');

export type Backend = 'inmemory' | 'stdio';

export interface Session {
  client: Client;
  pid?: number;
  close(): Promise<void>;
}

export function tempHome(prefix = 'taskmcp-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function openStdio(home: string, extraEnv: Record<string, string> = {}): Promise<Session> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [STDIO_MAIN],
    env: { ...(process.env as Record<string, string>), TASK_MCP_HOME: home, ...extraEnv },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'taskmcp-test', version: '0' });
  await client.connect(transport);
  return { client, pid: transport.pid ?? undefined, close: () => client.close() };
}

export async function openSession(backend: Backend, home: string): Promise<Session> {
  if (backend === 'stdio') return openStdio(home);
  const c = await connectInMemory({ home });
  return { client: c.client, close: c.close };
}

export interface ToolResult {
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export async function callRaw(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

/** Success payload, decoded from the text block (the unwrapped value); throws on isError. */
export async function ok<T = any>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const r = await callRaw(client, name, args);
  if (r.isError) throw new Error(`${name} failed: ${r.content[0]?.text}`);
  if (r.content.length === 0) return [] as T;
  return JSON.parse(r.content[0].text!) as T;
}

/** Error text of an isError result; throws if the call succeeded. */
export async function err(client: Client, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const r = await callRaw(client, name, args);
  if (!r.isError) throw new Error(`${name} unexpectedly succeeded: ${r.content[0]?.text}`);
  return r.content[0].text!;
}
