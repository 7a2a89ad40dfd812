/** `embedded` (default): our task-mcp-compatible server (src/taskmcp/) as stdio child processes. */
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { stdioEntryPath } from '../../taskmcp/entry.js';
import { openStdioSession } from './stdio-session.js';
import type { TransportRecord } from './types.js';

/** The SDK's safe default environment plus our TASK_MCP_* settings (the SDK passes nothing else). */
function childEnv(taskMcpHome: string): Record<string, string> {
  const env: Record<string, string> = { ...getDefaultEnvironment() };
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('TASK_MCP_') && value !== undefined) env[key] = value;
  }
  return { ...env, TASK_MCP_HOME: taskMcpHome };
}

export const embedded: TransportRecord = {
  description: 'our task-mcp-compatible server as stdio child processes (isolated, recyclable)',
  requires: [],
  label: () => 'embedded',
  localStore: true,
  // The environment is read at each spawn, so a replacement child sees current settings.
  open: (s, log) => () => openStdioSession(process.execPath, [stdioEntryPath()], childEnv(s.taskMcpHome), s.connectTimeoutMs, log),
};
