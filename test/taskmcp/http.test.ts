/** Streamable HTTP router: a server per session, concurrent sessions, DELETE, unknown session -> 404. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import express from 'express';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTaskMcpHttpRouter, type TaskMcpHttpRouter } from '../../src/taskmcp/index.js';
import { ok, tempHome } from '../helpers/taskmcp-harness.js';

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
  await router.closeAll();
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
