/**
 * Streamable HTTP: a server per session, concurrent sessions, DELETE, unknown session -> 404; DNS-rebinding
 * protection (Host, Origin) and bearer-token auth, on the router and on the http-main process.
 */
import { spawn } from 'node:child_process';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaskMcpHttpRouter, type TaskMcpHttpRouter } from '../../src/taskmcp/index.js';
import { waitFor } from '../helpers/processes.js';
import { freePort } from '../helpers/ports.js';
import { ROOT, ok, tempHome } from '../helpers/taskmcp-harness.js';

let home: ReturnType<typeof tempHome>;
let server: Server;
let router: TaskMcpHttpRouter;
let url: URL;

beforeAll(async () => {
  home = tempHome('taskmcp-http-');
  router = createTaskMcpHttpRouter({ home: home.dir, path: '/mcp' });
  const app = express();
  app.use(router);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
});
afterAll(async () => {
  await router.close();
  await new Promise((r) => server.close(r));
  home.cleanup();
});

async function connect() {
  const transport = new StreamableHTTPClientTransport(url);
  const client = new Client({ name: 'http-test', version: '0' });
  await client.connect(transport);
  return { client, transport };
}

it('serves concurrent sessions, each with its own replies and session id as created_by', async () => {
  const a = await connect();
  const b = await connect();
  expect(a.transport.sessionId).toBeDefined();
  expect(a.transport.sessionId).not.toBe(b.transport.sessionId);
  expect(router.sessionCount()).toBe(2);
  const ws = path.join(home.dir, 'ws');
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => {
      const who = i % 2 ? a : b;
      return ok(who.client, 'create_task', { title: `t${i}`, workspace_path: ws }).then((row) => ({ i, row, sid: who.transport.sessionId }));
    }),
  );
  for (const { i, row, sid } of results) {
    expect(row.title).toBe(`t${i}`);
    expect(row.created_by).toBe(sid);
  }
  expect((await ok(a.client, 'list_tasks', { workspace_path: ws })).total_count).toBe(20);

  // DELETE terminates the session; the id is then unknown -> 404
  const sid = a.transport.sessionId!;
  await a.transport.terminateSession();
  expect(router.sessionCount()).toBe(1);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });
  // b still works
  expect((await ok(b.client, 'list_tasks', { workspace_path: ws, limit: 1 })).returned_count).toBe(1);
  await a.client.close();
  await b.transport.terminateSession();
  await b.client.close();
  expect(router.sessionCount()).toBe(0);
});

it('rejects a non-initialize request without a session id', async () => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
  expect(res.status).toBe(400);
  const get = await fetch(url, { headers: { 'mcp-session-id': 'nope', accept: 'text/event-stream' } });
  expect(get.status).toBe(404);
});

/** A raw POST with chosen headers (fetch cannot set Host). */
function rawPost(target: URL, headers: Record<string, string>, body: unknown = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: any }>((resolve, reject) => {
    const req = httpRequest(target, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data ? JSON.parse(data) : null }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

it('refuses a foreign Host or Origin (DNS rebinding) with 403, accepts loopback names', async () => {
  const evil = await rawPost(url, { host: 'evil.example:80' });
  expect(evil.status).toBe(403);
  expect(evil.body).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: 'Invalid Host: evil.example' }, id: null });
  const origin = await rawPost(url, { origin: 'http://evil.example' });
  expect(origin.status).toBe(403);
  expect(origin.body.error.message).toBe('Invalid Origin: http://evil.example');
  // loopback names pass the checks (and then fail for want of a session, as before)
  expect((await rawPost(url, { host: `localhost:${url.port}`, origin: `http://localhost:${url.port}` })).status).toBe(400);
});

describe('bearer token', () => {
  let tokenServer: Server;
  let tokenRouter: TaskMcpHttpRouter;
  let tokenUrl: URL;
  const logged: string[] = [];
  const TOKEN = 'sekret-token-123';
  beforeAll(async () => {
    tokenRouter = createTaskMcpHttpRouter({ home: home.dir, authToken: TOKEN, log: (l) => logged.push(l) });
    const app = express();
    app.use(tokenRouter);
    tokenServer = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    tokenUrl = new URL(`http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/mcp`);
  });
  afterAll(async () => {
    await tokenRouter.close();
    await new Promise((r) => tokenServer.close(r));
  });

  it('answers 401 without or with a wrong token, logs each refusal once without the token, serves with it', async () => {
    const none = await rawPost(tokenUrl, {});
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.body).toEqual({ jsonrpc: '2.0', error: { code: -32001, message: 'Unauthorized: a valid bearer token is required' }, id: null });
    expect((await rawPost(tokenUrl, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await rawPost(tokenUrl, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatch(/^task-mcp http: 401 POST \/mcp from .*: no Authorization header$/);
    expect(logged[1]).toMatch(/invalid bearer token$/);
    expect(logged.join('\n')).not.toContain(TOKEN);
    const transport = new StreamableHTTPClientTransport(tokenUrl, { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
    const client = new Client({ name: 'token-test', version: '0' });
    await client.connect(transport);
    try {
      expect(Array.isArray(await ok(client, 'list_projects'))).toBe(true);
      expect(tokenRouter.sessionCount()).toBe(1);
    } finally {
      await transport.terminateSession();
      await client.close();
    }
    expect(logged).toHaveLength(3);
  });

  it('http-main reads MCP_AUTH_TOKEN, PORT and HOST', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/taskmcp/http-main.js')], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', TASK_MCP_HOME: path.join(home.dir, 'main'), MCP_AUTH_TOKEN: TOKEN },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    try {
      await waitFor(() => stderr.includes('listening'), 10_000, 'http-main listening');
      const target = new URL(`http://127.0.0.1:${port}/mcp`);
      expect((await rawPost(target, {})).status).toBe(401);
      await waitFor(() => stderr.includes('401 POST /mcp'), 5_000, '401 logged');
      expect(stderr).not.toContain(TOKEN);
      const transport = new StreamableHTTPClientTransport(target, { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
      const client = new Client({ name: 'token-test', version: '0' });
      await client.connect(transport);
      expect(await ok(client, 'list_projects')).toEqual([]);
      await transport.terminateSession();
      await client.close();
      child.kill('SIGTERM');
      await waitFor(() => child.exitCode !== null, 10_000, 'http-main exit');
      expect(child.exitCode).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
