import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('config', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 8001, HOST: '127.0.0.1', MCP_TRANSPORT: 'embedded', VALIDATE_RESPONSES: false, mcpArgs: [] });
    expect(c.MCP_POOL_SIZE).toBeGreaterThanOrEqual(1);
    expect(c.TASK_MCP_HOME).toMatch(/\.task-mcp$/);
  });

  it('parses lists, booleans and MCP_ARGS', () => {
    const c = loadConfig({ API_KEYS: 'a, b,,', VALIDATE_RESPONSES: 'true', MCP_ARGS: '["-m","task_mcp.server"]', MCP_TRANSPORT: 'stdio', MCP_COMMAND: 'python' });
    expect(c.API_KEYS).toEqual(['a', 'b']);
    expect(c.VALIDATE_RESPONSES).toBe(true);
    expect(c.mcpArgs).toEqual(['-m', 'task_mcp.server']);
    expect(loadConfig({ MCP_ARGS: '--flag value' }).mcpArgs).toEqual(['--flag', 'value']);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ MCP_TRANSPORT: 'carrier-pigeon' }, 'MCP_TRANSPORT'],
    [{ MCP_TRANSPORT: 'stdio' }, 'MCP_COMMAND'],
    [{ MCP_TRANSPORT: 'http' }, 'MCP_URL'],
    [{ DEFAULT_PROJECT_ID: 'xyz' }, 'DEFAULT_PROJECT_ID'],
    [{ API_KEY_HASHES: 'abc' }, 'API_KEY_HASHES'],
    [{ ALLOWED_WORKSPACE_ROOTS: 'relative/root' }, 'ALLOWED_WORKSPACE_ROOTS'],
    [{ MCP_ARGS: '[1,2]' }, 'MCP_ARGS'],
  ])('rejects %o naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});
