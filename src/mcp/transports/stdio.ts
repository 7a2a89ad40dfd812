/** `stdio`: any task-mcp command (e.g. the Python `task-mcp`) as child processes. */
import { openStdioSession } from './stdio-session.js';
import type { TransportRecord } from './types.js';

export const stdio: TransportRecord = {
  description: 'any task-mcp command (MCP_COMMAND, MCP_ARGS) as stdio child processes',
  requires: ['MCP_COMMAND'],
  label: (s) => `stdio:${s.command?.split('/').pop()}`,
  localStore: false,
  open: (s, log) => () =>
    // Python servers must run unbuffered, or replies sit in their stdout buffer.
    openStdioSession(s.command!, s.args ?? [], { ...(process.env as Record<string, string>), PYTHONUNBUFFERED: '1' }, s.connectTimeoutMs, log),
};
