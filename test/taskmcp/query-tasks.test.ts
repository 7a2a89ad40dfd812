/**
 * query_tasks against a seeded project (tool calls plus rows written straight into SQLite for ties, NULLs
 * and legacy spellings), compared with an independent computation over the raw rows in this file: every
 * filter, every sort key both ways, multi-key sorts, stable pagination, counts, and the argument errors.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInMemory, projectIdFor, type InMemoryConnection } from '../../src/taskmcp/index.js';
import { initProjectSchema } from '../../src/taskmcp/schema.js';
import { TASK_SORT_KEYS, parseSort, taskQuerySql, type TaskFilters } from '../../src/taskmcp/tools/query-tasks.js';
import { callRaw, err, ok, openStdio, tempHome, type Session } from '../helpers/taskmcp-harness.js';

type Task = Record<string, any>;

let home: ReturnType<typeof tempHome>;
let conn: InMemoryConnection;
let ws: string;
let dbFile: string;
let entityId: number;
let deletedEntityId: number;

const q = (args: Record<string, unknown>) => ok(conn.client, 'query_tasks', { workspace_path: ws, ...args });

/** Stored local form of an instant, computed here independently of the server (this process's zone). */
function localStored(instant: string): string {
  const d = new Date(instant);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const micros = instant.match(/\.(\d+)/)?.[1]?.padEnd(6, '0').slice(0, 6) ?? '000000';
  return `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${micros}`;
}

function ids(text: unknown): number[] {
  try {
    const v = JSON.parse(String(text));
    return Array.isArray(v) ? v.filter((x) => Number.isInteger(x)) : [];
  } catch {
    return [];
  }
}

/** The reference model: all rows, read straight from the file. */
function model() {
  const db = new Database(dbFile, { readonly: true });
  const tasks = db.prepare('SELECT * FROM tasks').all() as Task[];
  const links = db.prepare('SELECT * FROM task_entity_links').all() as Task[];
  db.close();
  const active = tasks.filter((t) => t.deleted_at === null);
  const byId = new Map(active.map((t) => [t.id, t]));
  const dependents = (id: number) => active.filter((t) => ids(t.depends_on).includes(id)).map((t) => t.id).sort((a, b) => a - b);
  const children = (id: number) => active.filter((t) => t.parent_task_id === id);
  const ready = (t: Task) => t.status === 'todo' && ids(t.depends_on).every((d) => !byId.has(d) || byId.get(d)!.status === 'done');
  const isBlocker = (t: Task) => !['done', 'cancelled'].includes(t.status) && dependents(t.id).length > 0;
  const tagList = (t: Task) => (t.tags ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const link = (t: Task, e: number) => links.find((l) => l.task_id === t.id && l.entity_id === e && l.deleted_at === null);
  return { active, dependents, children, ready, isBlocker, tagList, link };
}

const PRIORITY: Record<string, number> = { low: 0, medium: 1, high: 2 };
const STATUS: Record<string, number> = { todo: 0, in_progress: 1, blocked: 2, done: 3, cancelled: 4, to_be_deleted: 5 };
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

function comparator(sort: string[]) {
  const keys = sort.map((s) => ({ key: s.replace(/^-/, ''), desc: s.startsWith('-') }));
  if (!keys.some((k) => k.key === 'id')) keys.push({ key: 'id', desc: false });
  return (x: Task, y: Task) => {
    for (const { key, desc } of keys) {
      let c: number;
      if (key === 'priority') c = cmp(PRIORITY[x.priority] ?? 1, PRIORITY[y.priority] ?? 1);
      else if (key === 'status') c = cmp(STATUS[x.status], STATUS[y.status]);
      else if (key === 'title') c = cmp(asciiLower(x.title), asciiLower(y.title));
      else if (key === 'id') c = cmp(x.id, y.id);
      else {
        // timestamps: NULL last in both directions
        if (x[key] === null || y[key] === null) {
          c = x[key] === y[key] ? 0 : x[key] === null ? 1 : -1;
          if (c) return c;
          continue;
        }
        c = cmp(x[key], y[key]);
      }
      if (c) return desc ? -c : c;
    }
    return 0;
  };
}

beforeAll(async () => {
  home = tempHome('taskmcp-query-');
  conn = await connectInMemory({ home: home.dir });
  ws = path.join(home.dir, 'ws');
  dbFile = path.join(home.dir, 'databases', `project_${projectIdFor(ws)}.db`);
  const create = async (args: Record<string, unknown>) => (await ok(conn.client, 'create_task', { workspace_path: ws, ...args })).id as number;
  const update = (task_id: number, args: Record<string, unknown>) => ok(conn.client, 'update_task', { workspace_path: ws, task_id, ...args });
  const root = await create({ title: 'Root epic', priority: 'high', tags: 'Backend API', description: 'the big one' });
  const child = await create({ title: 'child one', parent_task_id: root, tags: 'api', depends_on: [root] });
  const child2 = await create({ title: 'Child two', parent_task_id: root, priority: 'low', tags: 'apiary', created_by: 'alice' });
  await update(child2, { status: 'in_progress' });
  await update(child2, { status: 'done' });
  const blocker = await create({ title: 'blocker', priority: 'high' });
  const waits = await create({ title: 'waits on blocker', depends_on: [blocker, 99999], tags: 'backend' });
  await create({ title: 'waits on done', depends_on: [child2], created_by: 'alice', description: 'x_y wildcard text' });
  const cancelled = await create({ title: 'cancelled blocker', priority: 'low' });
  await update(cancelled, { status: 'cancelled' });
  await create({ title: 'depends on cancelled', depends_on: [cancelled] });
  const gone = await create({ title: 'deleted', depends_on: [waits] });
  await ok(conn.client, 'delete_task', { workspace_path: ws, task_id: gone });
  const blocked = await create({ title: 'stuck', priority: 'medium' });
  await update(blocked, { status: 'in_progress' });
  await update(blocked, { status: 'blocked', blocker_reason: 'why' });
  entityId = (await ok(conn.client, 'create_entity', { workspace_path: ws, entity_type: 'file', name: 'e', identifier: 'e.ts' })).id;
  deletedEntityId = (await ok(conn.client, 'create_entity', { workspace_path: ws, entity_type: 'other', name: 'gone' })).id;
  await ok(conn.client, 'link_entity_to_task', { workspace_path: ws, task_id: child, entity_id: entityId });
  await ok(conn.client, 'link_entity_to_task', { workspace_path: ws, task_id: root, entity_id: entityId });
  await ok(conn.client, 'link_entity_to_task', { workspace_path: ws, task_id: waits, entity_id: entityId });
  await ok(conn.client, 'delete_entity', { workspace_path: ws, entity_id: deletedEntityId });
  void child;

  // Rows the tools cannot write: equal timestamps (ties), NULL priority/timestamps, legacy UTC format,
  // upper-case stored tags, a non-array depends_on, titles that differ only in case.
  const db = new Database(dbFile);
  const ins = db.prepare(`INSERT INTO tasks (title, status, priority, depends_on, tags, created_by, created_at, updated_at, completed_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const statuses = ['todo', 'in_progress', 'blocked', 'done', 'cancelled', 'to_be_deleted'];
  for (let i = 0; i < 40; i++) {
    const day = String(1 + (i % 9)).padStart(2, '0');
    const ts = i % 7 === 0 ? `2025-03-${day} 10:00:00` : `2025-03-${day}T10:00:00.${String(i % 3).padStart(6, '0')}`;
    ins.run(
      i % 5 === 0 ? `Same Title` : i % 5 === 1 ? 'same title' : `bulk ${String(i).padStart(2, '0')}`,
      statuses[i % 6], i % 8 === 0 ? null : ['low', 'medium', 'high'][i % 3],
      i % 9 === 0 ? '{"not": "a list"}' : i % 4 === 0 ? `[${blocker}]` : null,
      i % 3 === 0 ? 'BULK Data' : i % 3 === 1 ? 'bulk' : null,
      i % 2 ? 'bob' : null,
      ts, i % 11 === 0 ? null : ts, statuses[i % 6] === 'done' ? ts : null,
    );
  }
  db.close();
});

afterAll(async () => {
  await conn.close();
  home.cleanup();
});

describe('query_tasks', () => {
  it('default page: full rows plus subtask counts and dependents, counts over the set and the project', async () => {
    const m = model();
    const r = await q({ limit: 1000 });
    const expected = [...m.active].sort(comparator(['-created_at']));
    expect(r.items.map((t: Task) => t.id)).toEqual(expected.map((t) => t.id));
    expect(r).toMatchObject({ total_count: m.active.length, limit: 1000, offset: 0 });
    expect(Object.keys(r)).toEqual(['total_count', 'limit', 'offset', 'items', 'counts', 'project_counts']);
    const first = r.items.find((t: Task) => t.title === 'Root epic');
    expect(Object.keys(first)).toEqual(['id', 'title', 'description', 'status', 'priority', 'parent_task_id', 'depends_on', 'tags',
      'blocker_reason', 'file_references', 'created_by', 'created_at', 'updated_at', 'completed_at', 'deleted_at', 'workspace_metadata',
      'subtask_count', 'subtask_done_count', 'dependents']);
    for (const item of r.items) {
      const kids = m.children(item.id);
      expect(item.subtask_count).toBe(kids.length);
      expect(item.subtask_done_count).toBe(kids.filter((k) => k.status === 'done').length);
      expect(item.dependents).toEqual(m.dependents(item.id));
    }
    const byStatus: Record<string, number> = {};
    for (const t of m.active) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
    expect(r.counts.by_status).toEqual(byStatus);
    expect(Object.keys(r.counts.by_status)).toEqual(Object.keys(byStatus).sort());
    const info = await ok(conn.client, 'get_project_info', { workspace_path: ws });
    expect(r.project_counts).toEqual({ total: info.total_tasks, by_status: info.by_status, by_priority: info.by_priority });
    expect(r.counts.by_priority).toEqual(info.by_priority);
  });

  it('every sort key, both directions, and multi-key sorts match the reference order', async () => {
    const m = model();
    const keys = ['priority', 'status', 'created_at', 'updated_at', 'completed_at', 'title', 'id'];
    const sorts = [...keys.map((k) => [k]), ...keys.map((k) => [`-${k}`]), ['-priority', 'created_at'], ['status', '-title'], ['title', '-id'],
      ['-updated_at', 'priority'], ['completed_at', '-status', 'title']];
    for (const sort of sorts) {
      const r = await q({ sort, limit: 1000, include_counts: false });
      expect(r.items.map((t: Task) => t.id), sort.join(',')).toEqual([...m.active].sort(comparator(sort)).map((t) => t.id));
    }
  });

  it('pages are stable: walking every page in small steps yields the full order once', async () => {
    const m = model();
    for (const sort of [['-created_at'], ['-priority', 'created_at'], ['title'], ['updated_at'], ['status']]) {
      const seen: number[] = [];
      for (let offset = 0; offset < m.active.length + 7; offset += 7) {
        const r = await q({ sort, limit: 7, offset, include_counts: false });
        expect(r.total_count).toBe(m.active.length);
        seen.push(...r.items.map((t: Task) => t.id));
      }
      expect(seen).toEqual([...m.active].sort(comparator(sort)).map((t) => t.id));
    }
  });

  it('each filter, alone and combined, selects what the reference selects', async () => {
    const m = model();
    const a = m.active;
    const instant = '2025-03-05T10:00:00Z';
    const bound = localStored(instant);
    const cases: Array<[Record<string, unknown>, (t: Task) => boolean]> = [
      [{ status: ['todo'] }, (t) => t.status === 'todo'],
      [{ status: ['todo', 'blocked'] }, (t) => ['todo', 'blocked'].includes(t.status)],
      [{ status: [] }, () => false],
      [{ priority: ['high', 'low'] }, (t) => ['high', 'low'].includes(t.priority)],
      [{ parent_task_id: a.find((t) => t.title === 'Root epic')!.id }, (t) => t.parent_task_id === a.find((x) => x.title === 'Root epic')!.id],
      [{ ids: [1, 2, 3, 99999] }, (t) => [1, 2, 3].includes(t.id)],
      [{ tags: ['api'] }, (t) => m.tagList(t).includes('api')],
      [{ tags: ['BULK', 'data'] }, (t) => m.tagList(t).includes('bulk') && m.tagList(t).includes('data')],
      [{ tags: [] }, () => true],
      [{ q: 'ROOT' }, (t) => /root/i.test(t.title) || /root/i.test(t.description ?? '')],
      [{ q: 'x_y' }, (t) => /x.y/i.test(t.title) || /x.y/i.test(t.description ?? '')],
      [{ q: 'b%k' }, (t) => /b.*k/i.test(t.title) || /b.*k/i.test(t.description ?? '')],
      [{ ready: true }, (t) => m.ready(t)],
      [{ ready: false }, (t) => !m.ready(t)],
      [{ is_blocker: true }, (t) => m.isBlocker(t)],
      [{ is_blocker: false }, (t) => !m.isBlocker(t)],
      [{ has_subtasks: true }, (t) => m.children(t.id).length > 0],
      [{ has_subtasks: false }, (t) => m.children(t.id).length === 0],
      [{ created_by: 'alice' }, (t) => t.created_by === 'alice'],
      // Millisecond precision: "after" means after every microsecond of the bound's millisecond.
      [{ created_after: instant }, (t) => t.created_at !== null && t.created_at.slice(0, 23) > bound.slice(0, 23)],
      [{ created_before: instant }, (t) => t.created_at !== null && t.created_at.slice(0, 23) < bound.slice(0, 23)],
      [{ updated_after: instant }, (t) => t.updated_at !== null && t.updated_at.slice(0, 23) > bound.slice(0, 23)],
      [{ updated_before: instant }, (t) => t.updated_at !== null && t.updated_at.slice(0, 23) < bound.slice(0, 23)],
      [{ updated_since: instant }, (t) => t.updated_at !== null && t.updated_at.slice(0, 23) >= bound.slice(0, 23)],
      [{ status: ['todo', 'in_progress'], priority: ['high', 'medium'], q: 'a' },
        (t) => ['todo', 'in_progress'].includes(t.status) && ['high', 'medium'].includes(t.priority) && /a/i.test(`${t.title}\n${t.description ?? ''}`)],
      [{ tags: ['bulk'], created_by: 'bob', is_blocker: false, ready: false },
        (t) => m.tagList(t).includes('bulk') && t.created_by === 'bob' && !m.isBlocker(t) && !m.ready(t)],
    ];
    for (const [filter, pick] of cases) {
      const r = await q({ ...filter, limit: 1000 });
      const expected = a.filter(pick).sort(comparator(['-created_at']));
      const label = JSON.stringify(filter);
      expect(r.items.map((t: Task) => t.id), label).toEqual(expected.map((t) => t.id));
      expect(r.total_count, label).toBe(expected.length);
      const byStatus: Record<string, number> = {};
      for (const t of expected) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
      expect(r.counts.by_status, label).toEqual(byStatus);
      expect(r.project_counts.total, label).toBe(a.length);
    }
  });

  it('entity_id: linked tasks with link fields, newest link first; a deleted entity is refused', async () => {
    const m = model();
    const r = await q({ entity_id: entityId });
    const linked = m.active.filter((t) => m.link(t, entityId));
    expect(r.total_count).toBe(linked.length);
    const expected = linked.map((t) => ({ t, l: m.link(t, entityId)! }))
      .sort((x, y) => cmp(y.l.created_at, x.l.created_at) || x.t.id - y.t.id);
    expect(r.items.map((t: Task) => t.id)).toEqual(expected.map((e) => e.t.id));
    expect(Object.keys(r.items[0]).slice(-5)).toEqual(['subtask_count', 'subtask_done_count', 'dependents', 'link_created_at', 'link_created_by']);
    expect(r.items[0].link_created_at).toBe(expected[0].l.created_at);
    const et = await ok(conn.client, 'get_entity_tasks', { workspace_path: ws, entity_id: entityId, mode: 'details' });
    expect(r.items.map((t: Task) => t.id)).toEqual(et.items.map((t: Task) => t.id));
    const sorted = await q({ entity_id: entityId, sort: ['title'] });
    expect(sorted.items.map((t: Task) => t.id)).toEqual([...linked].sort(comparator(['title'])).map((t) => t.id));
    expect(await err(conn.client, 'query_tasks', { workspace_path: ws, entity_id: deletedEntityId })).toBe(
      `Error calling tool 'query_tasks': Entity ${deletedEntityId} not found or has been deleted`);
    expect(await err(conn.client, 'query_tasks', { workspace_path: ws, entity_id: 424242 })).toContain('Entity 424242 not found or has been deleted');
  });

  it('include_counts=false omits both counts objects; the result is plain JSON text only', async () => {
    const raw = await callRaw(conn.client, 'query_tasks', { workspace_path: ws, include_counts: false, limit: 2 });
    expect(raw.structuredContent).toBeUndefined();
    const r = JSON.parse(raw.content[0].text!);
    expect(Object.keys(r)).toEqual(['total_count', 'limit', 'offset', 'items']);
    expect(r.items).toHaveLength(2);
  });

  it('bad arguments are pydantic-style errors; an unregistered workspace reads as empty', async () => {
    const e = (args: Record<string, unknown>) => err(conn.client, 'query_tasks', { workspace_path: ws, ...args });
    expect(await e({ limit: 0 })).toContain('limit\n  Input should be greater than or equal to 1 [type=greater_than_equal');
    expect(await e({ limit: 1001 })).toContain('Input should be less than or equal to 1000 [type=less_than_equal');
    expect(await e({ offset: -1 })).toContain('offset\n  Input should be greater than or equal to 0');
    expect(await e({ ids: Array.from({ length: 1001 }, (_, i) => i) })).toContain('List should have at most 1000 items after validation, not 1001 [type=too_long');
    const sortErr = await e({ sort: ['-priority', 'bogus', 'priority'] });
    expect(sortErr).toMatch(/^2 validation errors for call\[query_tasks\]\nsort\n {2}Value error, unknown sort key 'bogus'/);
    expect(sortErr).toContain("Value error, sort key 'priority' is given twice");
    expect(await e({ created_after: '2025-01-01' })).toMatch(/^1 validation error for call\[query_tasks\]\ncreated_after\n {2}Value error, created_after must be an ISO 8601 date-time with a UTC offset or Z/);
    expect(await e({ updated_since: 'yesterday', updated_before: '2025-02-30T00:00:00Z' })).toMatch(/^2 validation errors/);
    expect(await e({ ready: 'maybe' })).toContain('[type=bool_parsing');
    const none = await ok(conn.client, 'query_tasks', { workspace_path: path.join(home.dir, 'never') });
    expect(none).toEqual({ total_count: 0, limit: 50, offset: 0, items: [], counts: { by_status: {}, by_priority: {} }, project_counts: { total: 0, by_status: {}, by_priority: {} } });
    expect((await ok(conn.client, 'list_projects')).some((p: any) => p.workspace_path === path.join(home.dir, 'never'))).toBe(false);
  });

  it('is absent in strict mode', async () => {
    const strict = await connectInMemory({ home: home.dir, strict: true });
    try {
      expect((await strict.client.listTools()).tools.some((t) => t.name === 'query_tasks')).toBe(false);
      expect(await err(strict.client, 'query_tasks', { workspace_path: ws })).toBe('Unknown tool: query_tasks');
    } finally {
      await strict.close();
    }
  });
});

describe('query_tasks over stdio', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openStdio(home.dir);
  });
  afterAll(async () => {
    await s.close();
  });
  it('answers the same page as in-process', async () => {
    const args = { workspace_path: ws, sort: ['-priority', 'title'], limit: 10, offset: 3 };
    expect(await ok(s.client, 'query_tasks', args)).toEqual(await ok(conn.client, 'query_tasks', args));
  });
});

describe('query_tasks plans', () => {
  it('serves the viewer\'s sorts, with and without a status filter, from an index (no sort of the project)', () => {
    // A database as task-mcp leaves it: our indexes, no ANALYZE statistics.
    const db = new Database(':memory:');
    initProjectSchema(db);
    const none: TaskFilters = {
      status: null, priority: null, parent_task_id: null, ids: null, entity_id: null, tags: null, q: null,
      ready: null, is_blocker: null, has_subtasks: null, created_by: null, sort: null,
    };
    const bounds = { createdAfter: null, createdBefore: null, updatedAfter: null, updatedBefore: null, updatedSince: null };
    const plan = (f: TaskFilters) => {
      const { from, cond, params, order } = taskQuerySql(f, bounds, parseSort(f.sort, TASK_SORT_KEYS, []));
      return (db.prepare(`EXPLAIN QUERY PLAN SELECT t.* FROM ${from} WHERE ${cond} ORDER BY ${order} LIMIT 50`).all(...params) as Array<{ detail: string }>)
        .map((r) => r.detail).join(' | ');
    };
    for (const sort of [null, ['-created_at'], ['-priority', 'created_at'], ['-updated_at'], ['updated_at'], ['status']]) {
      for (const status of [null, ['todo']]) {
        const p = plan({ ...none, sort, status });
        expect(p, `${JSON.stringify(sort)} ${JSON.stringify(status)}: ${p}`).not.toContain('TEMP B-TREE');
        expect(p).toMatch(/INDEX (idx_tvapi_|idx_status)/);
      }
    }
    // small selective sets: direct lookups, not a scan in page order
    expect(plan({ ...none, parent_task_id: 3 })).toContain('USING INDEX idx_parent');
    expect(plan({ ...none, ids: [1, 2] })).toContain('INTEGER PRIMARY KEY');
    expect(plan({ ...none, entity_id: 1 })).toMatch(/SEARCH l USING INDEX idx_link_entity.*SEARCH t USING INTEGER PRIMARY KEY/);
    const ready = plan({ ...none, ready: true });
    expect(ready).toContain('SEARCH d USING INTEGER PRIMARY KEY');
    db.close();
  });
});
