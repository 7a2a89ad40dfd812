/**
 * The worker transport: the embedded server in worker threads, driven by the real SDK Client over the
 * MessagePort transport; several workers share one store; terminate() ends the thread and the session.
 */
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONTRACT_TOOL_ORDER, EXTENSION_TOOL_NAMES, startTaskMcpWorker, type TaskMcpWorker } from '../../src/taskmcp/index.js';
import { ok, tempHome } from '../helpers/taskmcp-harness.js';

let home: ReturnType<typeof tempHome>;
const started: TaskMcpWorker[] = [];

async function open(options: { strict?: boolean } = {}) {
  const worker = startTaskMcpWorker({ home: home.dir, ...options });
  started.push(worker);
  const client = new Client({ name: 'worker-test', version: '0' });
  await client.connect(worker.transport);
  return { worker, client };
}

beforeAll(() => {
  home = tempHome('taskmcp-worker-');
});
afterAll(async () => {
  await Promise.all(started.map((w) => w.terminate()));
  home.cleanup();
});

it('serves every tool over the MessagePort transport; strict workers offer only the 22', async () => {
  const a = await open();
  expect(a.worker.threadId).toBeGreaterThan(0);
  expect(a.client.getServerVersion()).toMatchObject({ name: 'Task Tracker' });
  expect((await a.client.listTools()).tools.map((t) => t.name)).toEqual([...CONTRACT_TOOL_ORDER, ...EXTENSION_TOOL_NAMES]);
  const strict = await open({ strict: true });
  expect((await strict.client.listTools()).tools.map((t) => t.name)).toEqual(CONTRACT_TOOL_ORDER);
});

it('workers share the store: concurrent writes from two threads, each read sees all', async () => {
  const a = await open();
  const b = await open();
  const ws = path.join(home.dir, 'ws');
  const rows = await Promise.all(Array.from({ length: 40 }, (_, i) => ok(i % 2 ? a.client : b.client, 'create_task', { title: `t${i}`, workspace_path: ws })));
  expect(new Set(rows.map((r) => r.id)).size).toBe(40);
  expect((await ok(a.client, 'query_tasks', { workspace_path: ws, limit: 1 })).total_count).toBe(40);
  expect((await ok(b.client, 'list_tasks', { workspace_path: ws })).total_count).toBe(40);
  // the session id of each worker's client becomes created_by, distinct per worker
  expect(new Set(rows.map((r) => r.created_by)).size).toBe(2);
});

it('terminate() closes the session and ends the thread', async () => {
  const a = await open();
  let closed = false;
  a.client.onclose = () => {
    closed = true;
  };
  await ok(a.client, 'list_projects');
  await a.worker.terminate();
  expect(closed).toBe(true);
  await expect(ok(a.client, 'list_projects')).rejects.toThrow();
  await a.worker.terminate(); // idempotent
});
