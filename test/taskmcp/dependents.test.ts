/**
 * The dependents index is patched by this process's own task writes and rebuilt after anyone else's: after
 * every step of a random mix of creates, depends_on updates, deletes (with cascade) and cleanups, done here
 * and by a second server process, get_task_dependents and query_tasks agree with a computation from the file.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectInMemory, projectIdFor, type InMemoryConnection } from '../../src/taskmcp/index.js';
import { type Session, callRaw, ok, openStdio, tempHome } from '../helpers/taskmcp-harness.js';
import { prng } from './perf/seed.js';

let home: ReturnType<typeof tempHome>;
let here: InMemoryConnection;
let there: Session;

beforeAll(async () => {
  home = tempHome('taskmcp-deps-');
  here = await connectInMemory({ home: home.dir });
  there = await openStdio(home.dir);
});
afterAll(async () => {
  await here.close();
  await there.close();
  home.cleanup();
});

function reference(file: string): Map<number, number[]> {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT id, depends_on FROM tasks WHERE deleted_at IS NULL ORDER BY id').all() as Array<{ id: number; depends_on: string | null }>;
  db.close();
  const out = new Map<number, number[]>();
  for (const r of rows) {
    let deps: unknown = [];
    try {
      deps = JSON.parse(r.depends_on ?? '[]');
    } catch {
      deps = [];
    }
    for (const d of new Set(Array.isArray(deps) ? deps.filter((x) => Number.isInteger(x)) : [])) out.set(d as number, [...(out.get(d as number) ?? []), r.id]);
  }
  return out;
}

it('stays exact under a random mix of writes from two processes', async () => {
  const ws = path.join(home.dir, 'ws');
  const file = path.join(home.dir, 'databases', `project_${projectIdFor(ws)}.db`);
  const rand = prng(99);
  const ids: number[] = [];
  for (let i = 0; i < 10; i++) ids.push((await ok(here.client, 'create_task', { title: `seed ${i}`, workspace_path: ws })).id);
  for (let step = 0; step < 120; step++) {
    const who = rand() < 0.3 ? there.client : here.client;
    const pickId = () => ids[Math.floor(rand() * ids.length)];
    const deps = () => Array.from({ length: Math.floor(rand() * 3) }, pickId);
    const r = rand();
    if (r < 0.4) {
      // a purged parent fails on the foreign key, as in task-mcp: then nothing was created
      const res = await callRaw(who, 'create_task', { title: `t${step}`, workspace_path: ws, depends_on: deps(), parent_task_id: rand() < 0.3 ? pickId() : null });
      if (!res.isError) ids.push(JSON.parse(res.content[0].text!).id);
    } else if (r < 0.7) {
      await who.callTool({ name: 'update_task', arguments: { task_id: pickId(), workspace_path: ws, depends_on: deps() } });
    } else if (r < 0.85) {
      await who.callTool({ name: 'delete_task', arguments: { task_id: pickId(), workspace_path: ws, cascade: rand() < 0.5 } });
    } else if (r < 0.9) {
      await who.callTool({ name: 'cleanup_deleted_tasks', arguments: { workspace_path: ws, days: -1 } });
    } else {
      await ok(who, 'create_entity', { entity_type: 'other', name: `e${step}`, workspace_path: ws });
    }
    const expected = reference(file);
    const probe = [...new Set([...ids, ...expected.keys()])];
    const got = await ok(here.client, 'get_task_dependents', { workspace_path: ws, task_ids: probe });
    for (const id of probe) expect(got.dependents[String(id)], `step ${step}, task ${id}`).toEqual(expected.get(id) ?? []);
    const page = await ok(here.client, 'query_tasks', { workspace_path: ws, limit: 1000, include_counts: false });
    for (const item of page.items) expect(item.dependents, `step ${step}, item ${item.id}`).toEqual(expected.get(item.id) ?? []);
  }
}, 120_000);
