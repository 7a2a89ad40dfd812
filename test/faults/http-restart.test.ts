/**
 * MCP_TRANSPORT=http against our embedded server running as a separate Streamable HTTP process:
 * the server restarts (its sessions vanish) and the service heals without a restart of its own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, type Harness, startHarness } from '../helpers/api-harness.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/processes.js';

const HTTP_MAIN = path.resolve('dist/src/taskmcp/http-main.js');

async function startMcpServer(port: number, home: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [HTTP_MAIN], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', TASK_MCP_HOME: home }, stdio: 'ignore' });
  await waitFor(async () => {
    try {
      await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'GET' });
      return true;
    } catch {
      return false;
    }
  }, 10_000, 'MCP HTTP server up');
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

let h: Harness | undefined;
let server: ChildProcess | undefined;
afterEach(async () => {
  await h?.close();
  if (server) await stop(server);
  h = server = undefined;
});

describe('Streamable HTTP backend', () => {
  it('survives a server restart: the next requests succeed without restarting the service', async () => {
    const port = await freePort();
    const home = mkdtempSync(path.join(os.tmpdir(), 'tva-http-'));
    server = await startMcpServer(port, home);
    h = await startHarness({ MCP_TRANSPORT: 'http', MCP_URL: `http://127.0.0.1:${port}/mcp`, MCP_POOL_SIZE: '2', MCP_PING_INTERVAL_MS: '0' });
    await h.call('create_task', { workspace_path: `${h.tmp}/ws/http`, title: 'over http' });
    await h.get('/api/v1/projects').expect(200);

    await stop(server);
    server = await startMcpServer(port, home);
    // Old session ids are unknown to the new server, which answers 404 before running anything, so even
    // a write may be sent again on a fresh session.
    const created = await h.request
      .post(`/api/v1/tasks?workspace_path=${encodeURIComponent(`${h.tmp}/ws/http`)}`)
      .set('X-API-Key', API_KEY)
      .send({ title: 'after restart' });
    expect(created.status).toBe(201);
    // The other session is stale too: reads retry once on a new one.
    for (let i = 0; i < 5; i++) {
      const res = await h.get('/api/v1/projects');
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(1);
    }
    const tasks = (await h.call('list_tasks', { workspace_path: `${h.tmp}/ws/http` })) as { total_count: number };
    expect(tasks.total_count).toBe(2);
  });

  it('an idle period longer than the ping interval, then a request: it succeeds first time', async () => {
    const port = await freePort();
    const home = mkdtempSync(path.join(os.tmpdir(), 'tva-http-'));
    server = await startMcpServer(port, home);
    h = await startHarness({ MCP_TRANSPORT: 'http', MCP_URL: `http://127.0.0.1:${port}/mcp`, MCP_POOL_SIZE: '1', MCP_PING_INTERVAL_MS: '200' });
    const [original] = h.runtime.pool.sessions();
    await stop(server);
    server = await startMcpServer(port, home);
    // While idle, the ping finds the dead session and replaces it before anyone needs it.
    await waitFor(() => {
      const [current] = h!.runtime.pool.sessions();
      return !!current && current !== original && current.state === 'idle';
    }, 5_000, 'idle session replaced');
    const res = await h.get('/api/v1/projects');
    expect(res.status).toBe(200);
  });
});

describe('HTTP session hygiene', () => {
  it('closing the service ends its sessions on the server (DELETE), leaving no orphans', async () => {
    const express = (await import('express')).default;
    const { createTaskMcpHttpRouter } = await import('../../src/taskmcp/index.js');
    const home = mkdtempSync(path.join(os.tmpdir(), 'tva-http-'));
    const router = createTaskMcpHttpRouter({ home });
    const app = express();
    app.use(router);
    const port = await freePort();
    const listener = app.listen(port, '127.0.0.1');
    try {
      h = await startHarness({ MCP_TRANSPORT: 'http', MCP_URL: `http://127.0.0.1:${port}/mcp`, MCP_POOL_SIZE: '3' });
      await h.get('/api/v1/projects').expect(200);
      expect(router.sessionCount()).toBe(3);
      await h.close();
      h = undefined;
      expect(router.sessionCount()).toBe(0);
    } finally {
      await router.closeAll();
      listener.close();
    }
  });
});
