/**
 * The newer extension tools on real files: query_entities and get_entity_stats against a reference
 * computation, get_task_graph (project, subtree, status filter, cap, parent cycle), list_project_summaries
 * (no files created, fresh after writes from another process) and register_project.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInMemory, projectIdFor, type InMemoryConnection } from '../../src/taskmcp/index.js';
import { callRaw, err, ok, openStdio, tempHome } from '../helpers/taskmcp-harness.js';

let home: ReturnType<typeof tempHome>;
let conn: InMemoryConnection;
let n = 0;
const fresh = () => path.join(home.dir, 'ws', `w${++n}`);
const c = () => conn.client;
const dbFileOf = (ws: string) => path.join(home.dir, 'databases', `project_${projectIdFor(ws)}.db`);

beforeAll(async () => {
  home = tempHome('taskmcp-ext-');
  conn = await connectInMemory({ home: home.dir });
});
afterAll(async () => {
  await conn.close();
  home.cleanup();
});

describe('query_entities and get_entity_stats', () => {
  it('filters, sorts, counts linked tasks, and agrees with a reference computation', async () => {
    const ws = fresh();
    const t1 = await ok(c(), 'create_task', { title: 't1', workspace_path: ws });
    const t2 = await ok(c(), 'create_task', { title: 't2', workspace_path: ws });
    const specs = [
      { entity_type: 'file', name: 'beta.ts', identifier: 'src/beta.ts', tags: 'Code TS' },
      { entity_type: 'file', name: 'Alpha.py', identifier: 'src/alpha.py', tags: 'code python' },
      { entity_type: 'other', name: 'alpha doc', identifier: 'DOC-1', tags: 'docs' },
      { entity_type: 'other', name: 'Gamma', tags: 'code' },
      { entity_type: 'file', name: 'gone', identifier: 'gone.ts', tags: 'code' },
    ];
    const ids: number[] = [];
    for (const s of specs) ids.push((await ok(c(), 'create_entity', { workspace_path: ws, ...s })).id);
    await ok(c(), 'link_entity_to_task', { workspace_path: ws, task_id: t1.id, entity_id: ids[0] });
    await ok(c(), 'link_entity_to_task', { workspace_path: ws, task_id: t2.id, entity_id: ids[0] });
    await ok(c(), 'link_entity_to_task', { workspace_path: ws, task_id: t1.id, entity_id: ids[1] });
    await ok(c(), 'delete_task', { workspace_path: ws, task_id: t2.id });
    await ok(c(), 'delete_entity', { workspace_path: ws, entity_id: ids[4] });

    const db = new Database(dbFileOf(ws), { readonly: true });
    const rows = (db.prepare('SELECT * FROM entities WHERE deleted_at IS NULL').all() as any[]);
    db.close();
    const q = (args: Record<string, unknown>) => ok(c(), 'query_entities', { workspace_path: ws, ...args });
    const names = (r: any) => r.items.map((e: any) => e.name);
    const byCreatedDesc = [...rows].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id - b.id));
    const all = await q({});
    expect(names(all)).toEqual(byCreatedDesc.map((e) => e.name));
    expect(all).toMatchObject({ total_count: 4, limit: 50, offset: 0 });
    expect(Object.keys(all.items[0])).toEqual(['id', 'entity_type', 'name', 'identifier', 'description', 'metadata', 'tags', 'created_by',
      'created_at', 'updated_at', 'deleted_at', 'updated_by', 'linked_tasks_count']);
    expect(all.items.find((e: any) => e.id === ids[0]).linked_tasks_count).toBe(1); // the link to the deleted task does not count
    expect(all.items.find((e: any) => e.id === ids[1]).linked_tasks_count).toBe(1);
    expect(all.items.find((e: any) => e.id === ids[3]).linked_tasks_count).toBe(0);

    const lower = (s: string) => s.replace(/[A-Z]/g, (x) => x.toLowerCase());
    expect(names(await q({ sort: ['name'] }))).toEqual([...rows].sort((a, b) => (lower(a.name) < lower(b.name) ? -1 : 1)).map((e) => e.name));
    expect(names(await q({ sort: ['-name'] }))).toEqual([...rows].sort((a, b) => (lower(a.name) < lower(b.name) ? 1 : -1)).map((e) => e.name));
    expect(names(await q({ sort: ['entity_type', '-id'] }))).toEqual([...rows].sort((a, b) => (a.entity_type < b.entity_type ? -1 : a.entity_type > b.entity_type ? 1 : b.id - a.id)).map((e) => e.name));
    expect(names(await q({ sort: ['created_at'] }))).toEqual([...byCreatedDesc].reverse().map((e) => e.name));
    expect(names(await q({ entity_type: 'file' }))).toEqual(['Alpha.py', 'beta.ts']);
    expect(names(await q({ tags: ['CODE'], sort: ['id'] }))).toEqual(['beta.ts', 'Alpha.py', 'Gamma']);
    expect(names(await q({ tags: ['code', 'python'] }))).toEqual(['Alpha.py']);
    expect(names(await q({ tags: ['cod'] }))).toEqual([]);
    expect(names(await q({ q: 'ALPHA', sort: ['id'] }))).toEqual(['Alpha.py', 'alpha doc']);
    expect(names(await q({ q: 'doc-_' }))).toEqual(['alpha doc']);
    expect(names(await q({ ids: [ids[3], ids[4], 999] }))).toEqual(['Gamma']);
    const page = await q({ sort: ['id'], limit: 2, offset: 1 });
    expect(page).toMatchObject({ total_count: 4, limit: 2, offset: 1 });
    expect(page.items.map((e: any) => e.id)).toEqual([ids[1], ids[2]]);
    expect(await err(c(), 'query_entities', { workspace_path: ws, sort: ['title'] })).toMatch(/^1 validation error for call\[query_entities\]\nsort\n {2}Value error, unknown sort key 'title'/);
    expect(await err(c(), 'query_entities', { workspace_path: ws, limit: 0 })).toContain('[type=greater_than_equal');
    expect((await callRaw(c(), 'query_entities', { workspace_path: ws })).structuredContent).toBeUndefined();

    expect(await ok(c(), 'get_entity_stats', { workspace_path: ws })).toEqual({
      total: 4, by_type: { file: 2, other: 2 }, tags: [{ tag: 'code', count: 3 }, { tag: 'docs', count: 1 }, { tag: 'python', count: 1 }, { tag: 'ts', count: 1 }] });
    expect(await ok(c(), 'get_entity_stats', { workspace_path: fresh() })).toEqual({ total: 0, by_type: {}, tags: [] });
  });
});

describe('get_task_graph', () => {
  it('returns nodes and edges of the project or a subtree, filtered, capped, and safe on parent cycles', async () => {
    const ws = fresh();
    const mk = async (args: Record<string, unknown>) => (await ok(c(), 'create_task', { workspace_path: ws, ...args })).id as number;
    const root = await mk({ title: 'root' });
    const a = await mk({ title: 'a', parent_task_id: root });
    const b = await mk({ title: 'b', parent_task_id: root, depends_on: [a, 99999] });
    const a1 = await mk({ title: 'a1', parent_task_id: a, depends_on: [b, b] });
    const other = await mk({ title: 'other', depends_on: [root] });
    const gone = await mk({ title: 'gone', parent_task_id: root });
    await ok(c(), 'delete_task', { workspace_path: ws, task_id: gone });
    await ok(c(), 'update_task', { workspace_path: ws, task_id: a, status: 'in_progress' });

    const whole = await ok(c(), 'get_task_graph', { workspace_path: ws });
    expect(whole.nodes.map((x: any) => x.id)).toEqual([root, a, b, a1, other]);
    expect(whole.nodes[2]).toEqual({ id: b, title: 'b', status: 'todo', priority: 'medium', parent_task_id: root, depends_on: [a, 99999] });
    expect(whole).toMatchObject({ total_nodes: 5, truncated: false, root_task_id: null });
    expect(whole.edges).toEqual([
      { source: root, target: a, type: 'parent' },
      { source: b, target: a, type: 'depends_on' }, { source: root, target: b, type: 'parent' },
      { source: a1, target: b, type: 'depends_on' }, { source: a, target: a1, type: 'parent' },
      { source: other, target: root, type: 'depends_on' },
    ]);

    const sub = await ok(c(), 'get_task_graph', { workspace_path: ws, root_task_id: a });
    expect(sub.nodes.map((x: any) => x.id)).toEqual([a, a1]);
    expect(sub.edges).toEqual([{ source: a, target: a1, type: 'parent' }]);
    expect((await ok(c(), 'get_task_graph', { workspace_path: ws, root_task_id: root })).nodes.map((x: any) => x.id)).toEqual([root, a, b, a1]);

    const todo = await ok(c(), 'get_task_graph', { workspace_path: ws, status: ['todo'] });
    expect(todo.nodes.map((x: any) => x.id)).toEqual([root, b, a1, other]);
    expect(todo.edges.some((e: any) => e.source === a || e.target === a)).toBe(false);
    const capped = await ok(c(), 'get_task_graph', { workspace_path: ws, max_nodes: 2 });
    expect(capped).toMatchObject({ total_nodes: 5, truncated: true });
    expect(capped.nodes.map((x: any) => x.id)).toEqual([root, a]);
    expect(capped.edges).toEqual([{ source: root, target: a, type: 'parent' }]);

    // a parent cycle (task-mcp accepts any parent id): the walk ends
    await ok(c(), 'update_task', { workspace_path: ws, task_id: root, parent_task_id: a1 });
    const cyc = await ok(c(), 'get_task_graph', { workspace_path: ws, root_task_id: a });
    expect(cyc.nodes.map((x: any) => x.id)).toEqual([a, a1, root, b]);
    expect(await err(c(), 'get_task_graph', { workspace_path: ws, root_task_id: gone })).toBe(`Error calling tool 'get_task_graph': Task ${gone} not found`);
    expect(await err(c(), 'get_task_graph', { workspace_path: ws, max_nodes: 5001 })).toContain('Input should be less than or equal to 5000');
  });
});

describe('list_project_summaries and register_project', () => {
  it('register_project registers without a database file; an existing project comes back unchanged', async () => {
    const ws = fresh();
    const r = await ok(c(), 'register_project', { workspace_path: `${ws}/`, friendly_name: 'Named' });
    expect(r.created).toBe(true);
    expect(Object.keys(r.project)).toEqual(['id', 'workspace_path', 'friendly_name', 'created_at', 'last_accessed']);
    expect(r.project).toMatchObject({ id: projectIdFor(ws), workspace_path: ws, friendly_name: 'Named' });
    expect(existsSync(dbFileOf(ws))).toBe(false);
    const again = await ok(c(), 'register_project', { workspace_path: ws, friendly_name: 'Other' });
    expect(again).toEqual({ project: r.project, created: false });
    expect(await ok(c(), 'get_project_info', { workspace_path: ws })).toMatchObject({ friendly_name: 'Named', total_tasks: 0 });
    const plain = await ok(c(), 'register_project', { workspace_path: fresh() });
    expect(plain).toMatchObject({ created: true, project: { friendly_name: null } });
    expect(await err(c(), 'register_project', { workspace_path: '' })).toMatch(/^Error calling tool 'register_project': workspace_path is REQUIRED/);
  });

  it('list_project_summaries: list_projects plus counts, no files created, fresh after writes elsewhere', async () => {
    const ws = fresh();
    await ok(c(), 'create_task', { title: 'x', workspace_path: ws });
    const t = await ok(c(), 'create_task', { title: 'y', workspace_path: ws });
    await ok(c(), 'update_task', { task_id: t.id, workspace_path: ws, status: 'in_progress' });
    const ghost = fresh();
    await ok(c(), 'register_project', { workspace_path: ghost });
    const projects = await ok(c(), 'list_projects');
    const sums = await ok(c(), 'list_project_summaries');
    expect(sums.map((p: any) => p.id)).toEqual(projects.map((p: any) => p.id));
    expect(Object.keys(sums[0])).toEqual([...Object.keys(projects[0]), 'total_tasks', 'by_status']);
    expect(sums.find((p: any) => p.workspace_path === ws)).toMatchObject({ total_tasks: 2, by_status: { in_progress: 1, todo: 1 } });
    expect(sums.find((p: any) => p.workspace_path === ghost)).toMatchObject({ total_tasks: 0, by_status: {} });
    expect(existsSync(dbFileOf(ghost))).toBe(false);
    for (const p of sums) {
      if (!existsSync(path.join(home.dir, 'databases', `project_${p.id}.db`))) continue;
      const info = await ok(c(), 'get_project_info', { workspace_path: p.workspace_path });
      expect({ total: p.total_tasks, by: p.by_status }).toEqual({ total: info.total_tasks, by: info.by_status });
    }
    // another process writes; the next summary shows it (repeated calls hit the memo, then see the change)
    await ok(c(), 'list_project_summaries');
    const other = await openStdio(home.dir);
    try {
      await ok(other.client, 'create_task', { title: 'from elsewhere', workspace_path: ws });
    } finally {
      await other.close();
    }
    expect((await ok(c(), 'list_project_summaries')).find((p: any) => p.workspace_path === ws).total_tasks).toBe(3);
    await ok(c(), 'create_task', { title: 'here', workspace_path: ws });
    expect((await ok(c(), 'list_project_summaries')).find((p: any) => p.workspace_path === ws).total_tasks).toBe(4);
    // a database file removed behind our back reads as zeros and is not recreated
    await conn.close();
    for (const s of ['', '-wal', '-shm']) rmSync(`${dbFileOf(ws)}${s}`, { force: true });
    conn = await connectInMemory({ home: home.dir });
    expect((await ok(c(), 'list_project_summaries')).find((p: any) => p.workspace_path === ws)).toMatchObject({ total_tasks: 0, by_status: {} });
    expect(existsSync(dbFileOf(ws))).toBe(false);
  });
});
