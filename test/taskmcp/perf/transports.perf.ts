/**
 * D.6: N worker threads vs N stdio children: memory (RSS of this process's growth for workers, the sum of
 * the children's RSS for stdio) and per-call latency of get_task and list_tasks (limit 50) per transport.
 */
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, it } from 'vitest';
import { connectInMemory, startTaskMcpWorker, type TaskMcpWorker } from '../../../src/taskmcp/index.js';
import { tempHome } from '../../helpers/taskmcp-harness.js';
import { CURRENT_DIST, ms, rssMiB, stdioSession, table, time, type StdioSession } from './lib.js';
import { seedProject } from './seed.js';

let home: ReturnType<typeof tempHome>;
let store: string;
let ws: string;
beforeAll(() => {
  home = tempHome('taskmcp-perf-transports-');
  store = path.join(home.dir, 'store');
  ws = seedProject(store, home.dir, 'transports', { tasks: 10_000 });
});
afterAll(() => home.cleanup());

const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function exercise(call: (tool: string, args: Record<string, unknown>) => Promise<unknown>) {
  for (let i = 0; i < 50; i++) {
    await call('list_tasks', { workspace_path: ws, limit: 50 });
    await call('query_tasks', { workspace_path: ws, limit: 50 });
    await call('get_task', { workspace_path: ws, task_id: 1 + i });
  }
}

function callerOf(client: Client) {
  return async (tool: string, args: Record<string, unknown>) => {
    const r = await client.request({ method: 'tools/call', params: { name: tool, arguments: args } }, CallToolResultSchema);
    if (r.isError) throw new Error(String(r.content[0]?.type === 'text' ? r.content[0].text : tool));
    return r;
  };
}

it('memory and latency: worker threads vs stdio children vs in-process', async () => {
  const memRows: Array<Record<string, string | number>> = [];
  for (const n of [1, 2, 4]) {
    gc();
    const base = rssMiB(process.pid);
    const workers: TaskMcpWorker[] = [];
    const clients: Client[] = [];
    for (let i = 0; i < n; i++) {
      const w = startTaskMcpWorker({ home: store });
      const c = new Client({ name: 'perf', version: '0' });
      await c.connect(w.transport);
      workers.push(w);
      clients.push(c);
    }
    await Promise.all(clients.map((c) => exercise(callerOf(c))));
    gc();
    const workerRss = rssMiB(process.pid) - base;
    await Promise.all(workers.map((w) => w.terminate()));

    const children: StdioSession[] = [];
    for (let i = 0; i < n; i++) children.push(await stdioSession(CURRENT_DIST, store));
    await Promise.all(children.map((s) => exercise((tool, args) => s.call(tool, args))));
    const stdioRss = children.reduce((sum, s) => sum + rssMiB(s.pid), 0);
    await Promise.all(children.map((s) => s.close()));
    memRows.push({ sessions: n, 'worker threads: process RSS growth MiB': workerRss.toFixed(0), 'stdio children: RSS sum MiB': stdioRss.toFixed(0) });
  }
  table('Memory after 150 calls per session (10,000-task project)', memRows);

  const latRows: Array<Record<string, string | number>> = [];
  const w = startTaskMcpWorker({ home: store });
  const wc = new Client({ name: 'perf', version: '0' });
  await wc.connect(w.transport);
  const s = await stdioSession(CURRENT_DIST, store);
  const mem = await connectInMemory({ home: store });
  try {
    const transports: Array<[string, (tool: string, args: Record<string, unknown>) => Promise<unknown>]> = [
      ['in-process (in-memory transport)', callerOf(mem.client)],
      ['worker thread', callerOf(wc)],
      ['stdio child', (tool, args) => s.call(tool, args)],
    ];
    for (const [label, call] of transports) {
      latRows.push({ transport: label, call: 'get_task', timing: ms(await time(400, (i) => call('get_task', { workspace_path: ws, task_id: 1 + (Math.abs(i) % 9000) }), 30)) });
      latRows.push({ transport: label, call: 'list_tasks limit 50', timing: ms(await time(200, () => call('list_tasks', { workspace_path: ws, limit: 50 }), 20)) });
      latRows.push({ transport: label, call: 'query_tasks limit 50', timing: ms(await time(200, () => call('query_tasks', { workspace_path: ws, limit: 50 }), 20)) });
    }
  } finally {
    await wc.close();
    await w.terminate();
    await s.close();
    await mem.close();
  }
  table('Per-call latency, sequential (10,000-task project)', latRows);
});
