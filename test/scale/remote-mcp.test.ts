/**
 * N API instances -> one task-mcp HTTP server (`http-main`, MCP_AUTH_TOKEN) -> one store. With the
 * right token the API works; without it or with a wrong one it answers a clear 503 (nothing of the
 * backend's answer in the body) and the MCP server logs each refusal as a 401.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/api-harness.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/processes.js';

const HTTP_MAIN = path.resolve('dist/src/taskmcp/http-main.js');
const TOKEN = 'remote-token-0123456789abcdef';

let home: string;
let server: ChildProcess;
let serverLog = '';
let mcpUrl: string;
const harnesses: Harness[] = [];

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'tva-remote-'));
  const port = await freePort();
  server = spawn(process.execPath, [HTTP_MAIN], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', TASK_MCP_HOME: path.join(home, 'store'), MCP_AUTH_TOKEN: TOKEN },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server.stderr!.on('data', (d) => (serverLog += d));
  mcpUrl = `http://127.0.0.1:${port}/mcp`;
  await waitFor(() => serverLog.includes('listening'), 15_000, 'http-main listening');
});

afterAll(async () => {
  await Promise.allSettled(harnesses.map((h) => h.close()));
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  if (home) rmSync(home, { recursive: true, force: true });
});

async function api(token: string | undefined): Promise<Harness> {
  const h = await startHarness({ MCP_TRANSPORT: 'http', MCP_URL: mcpUrl, MCP_POOL_SIZE: '1', MCP_PING_INTERVAL_MS: '0', MCP_CONNECT_TIMEOUT_MS: '3000', MCP_ACQUIRE_TIMEOUT_MS: '1000', ...(token ? { MCP_AUTH_TOKEN: token } : {}) });
  harnesses.push(h);
  return h;
}

describe('remote MCP with a bearer token', () => {
  it('two API instances with the token share one remote server and store', async () => {
    const [a, b] = [await api(TOKEN), await api(TOKEN)];
    const ws = path.join(home, 'ws', 'remote');
    await a.call('create_task', { workspace_path: ws, title: 'over the network' });
    const projects = await b.get('/api/v1/projects').expect(200);
    expect(projects.body.projects.map((p: { workspace_path: string }) => p.workspace_path)).toContain(ws);
    expect((await b.get('/health').expect(200)).body.transport).toBe('http');
  });

  it.each([
    ['a wrong token', 'wrong-token-0123456789abcdef'],
    ['no token', undefined],
  ])('with %s: a clear 503 from the API, a 401 in the MCP server log', async (_what, token) => {
    const refusalsBefore = serverLog.match(/401 POST \/mcp/g)?.length ?? 0;
    const h = await api(token);
    const res = await h.get('/api/v1/projects');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body.error).toBe('service_unavailable');
    // Nothing of the backend's refusal leaks to the API's client.
    expect(JSON.stringify(res.body)).not.toMatch(/401|bearer|unauthori[sz]ed|token|-32001/i);
    await waitFor(() => (serverLog.match(/401 POST \/mcp/g)?.length ?? 0) > refusalsBefore, 10_000, 'the 401 logged by http-main');
    expect(serverLog).toMatch(token ? /invalid bearer token/ : /no Authorization header/);
    expect(serverLog).not.toContain(TOKEN);
  });
});
