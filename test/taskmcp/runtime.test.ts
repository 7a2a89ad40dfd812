/** list_tasks on a 10k-task workspace, and stdio robustness (garbage input, a client that vanishes). */
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectInMemory, projectIdFor, type InMemoryConnection } from '../../src/taskmcp/index.js';
import { waitFor } from '../helpers/processes.js';
import { STDIO_MAIN, callRaw, ok, tempHome } from '../helpers/taskmcp-harness.js';

let home: ReturnType<typeof tempHome>;
let conn: InMemoryConnection;

beforeAll(async () => {
  home = tempHome('taskmcp-rt-');
  conn = await connectInMemory({ home: home.dir });
});
afterAll(async () => {
  await conn.close();
  home.cleanup();
});

it('list_tasks on a 10,000-task workspace (limit 50, summary and details)', async () => {
  const ws = path.join(home.dir, 'big');
  await ok(conn.client, 'set_project_name', { workspace_path: ws, friendly_name: 'big' }); // registers
  await ok(conn.client, 'cleanup_deleted_tasks', { workspace_path: ws }); // a write: creates the DB with our schema
  const db = new Database(path.join(home.dir, 'databases', `project_${projectIdFor(ws)}.db`));
  const ins = db.prepare("INSERT INTO tasks (title, description, status, priority, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  const statuses = ['todo', 'in_progress', 'done', 'cancelled'];
  db.transaction(() => {
    for (let i = 0; i < 10_000; i++) {
      const ts = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString().replace('Z', '000'); // python-style 6-digit micros
      ins.run(`task ${i}`, `description ${i} `.repeat(5), statuses[i % 4], 'medium', 'bench perf', ts, ts);
    }
  })();
  db.close();
  const time = async (args: Record<string, unknown>) => {
    await ok(conn.client, 'list_tasks', { workspace_path: ws, ...args }); // warm statements
    const runs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const r = await ok(conn.client, 'list_tasks', { workspace_path: ws, ...args });
      runs.push(performance.now() - t0);
      expect(r.returned_count).toBe(50);
      expect(r.total_count).toBeGreaterThan(2000);
    }
    runs.sort((a, b) => a - b);
    return runs[Math.floor(runs.length / 2)];
  };
  const summary = await time({ limit: 50 });
  const details = await time({ limit: 50, mode: 'details' });
  const filtered = await time({ limit: 50, status: 'todo', offset: 1000 });
  console.log(`list_tasks 10k tasks, median ms: summary=${summary.toFixed(2)} details=${details.toFixed(2)} status+offset=${filtered.toFixed(2)}`);
  expect(summary).toBeLessThan(100);
  expect(details).toBeLessThan(100);
  const first = await ok(conn.client, 'list_tasks', { workspace_path: ws, limit: 1 });
  expect(first.items[0].title).toBe('task 9999');
});

it('stdio server survives garbage input and keeps stdout clean', async () => {
  const child = spawn(process.execPath, [STDIO_MAIN], { env: { ...process.env, TASK_MCP_HOME: home.dir }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const send = (o: unknown) => child.stdin.write(`${typeof o === 'string' ? o : JSON.stringify(o)}\n`);
  send('this is not json');
  send('{"jsonrpc":"2.0","id":"x","method":"tools/call"}');
  send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
  send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_tasks', arguments: 'oops' } });
  send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_projects', arguments: {} } });
  const deadline = Date.now() + 10_000;
  while (!out.includes('"id":3') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  expect(child.exitCode).toBeNull();
  for (const line of out.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  expect(out).toContain('"id":3');
  child.stdin.end();
  await new Promise((r) => child.once('exit', r));
});

it('tools/call results carry the family encodings', async () => {
  const r = await callRaw(conn.client, 'list_projects');
  expect(Array.isArray(r.structuredContent?.result)).toBe(true);
  expect(r.isError).toBe(false);
});

it('an orphaned server exits quietly when its stdout and stderr close while replies are pending', async () => {
  const child = spawn(process.execPath, [STDIO_MAIN], { env: { ...process.env, TASK_MCP_HOME: home.dir }, stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const send = (o: unknown) => child.stdin.write(`${JSON.stringify(o)}\n`);
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
    await waitFor(() => out.includes('"id":1'), 10_000, 'initialize reply');
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    // Freeze the server so the calls are pending when the client's ends of the pipes go away.
    process.kill(child.pid!, 'SIGSTOP');
    for (let i = 0; i < 3; i++) send({ jsonrpc: '2.0', id: 10 + i, method: 'tools/call', params: { name: 'list_projects', arguments: {} } });
    child.stdout.destroy();
    child.stderr.destroy();
    process.kill(child.pid!, 'SIGCONT');
    // Before the fix it looped on EPIPE at ~50 % CPU and ignored SIGTERM.
    await waitFor(() => child.exitCode !== null || child.signalCode !== null, 10_000, 'server exit');
    expect(child.signalCode).toBeNull();
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
