/**
 * Every tool through a real MCP Client, on both the built stdio server and the in-memory transport.
 */
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, type Session, callRaw, err, ok, openSession, tempHome } from '../helpers/taskmcp-harness.js';
import { projectIdFor } from '../../src/taskmcp/index.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;
const TASK_KEYS = ['id', 'title', 'description', 'status', 'priority', 'parent_task_id', 'depends_on', 'tags', 'blocker_reason',
  'file_references', 'created_by', 'created_at', 'updated_at', 'completed_at', 'deleted_at', 'workspace_metadata'];
const SUMMARY_KEYS = ['id', 'title', 'status', 'priority', 'tags', 'parent_task_id', 'created_at', 'updated_at'];
const ENTITY_KEYS = ['id', 'entity_type', 'name', 'identifier', 'description', 'metadata', 'tags', 'created_by', 'created_at',
  'updated_at', 'deleted_at', 'updated_by'];

describe.each<Backend>(['inmemory', 'stdio'])('task-mcp tools over %s', (backend) => {
  let home: ReturnType<typeof tempHome>;
  let s: Session;
  let ws: string;
  let n = 0;
  /** A fresh workspace per test so counts are independent. */
  const fresh = () => path.join(home.dir, 'ws', `w${++n}`);
  const c = () => s.client;

  beforeAll(async () => {
    home = tempHome();
    s = await openSession(backend, path.join(home.dir, 'store'));
  });
  afterAll(async () => {
    await s.close();
    home.cleanup();
  });

  it('create/get/list: full rows, summaries, envelope, Python-format data', async () => {
    ws = fresh();
    const t = await ok(c(), 'create_task', {
      title: 'Alpha ✓', workspace_path: ws, description: 'd', priority: 'high', tags: '  Python   Django  REST ',
      depends_on: ['7', 2.0], file_references: ['src/a.py', 'é'],
    });
    expect(Object.keys(t)).toEqual(TASK_KEYS);
    expect(t).toMatchObject({ title: 'Alpha ✓', status: 'todo', tags: 'python django rest', depends_on: '[7, 2]', file_references: '["src/a.py", "\\u00e9"]', completed_at: null });
    expect(t.created_at).toMatch(ISO);
    expect(t.created_at).toBe(t.updated_at);
    expect(typeof t.created_by).toBe('string');
    const meta = t.workspace_metadata as string;
    expect(meta.startsWith(`{"workspace_path": "${ws}", "git_root": null, "cwd_at_creation": `)).toBe(true);
    expect(JSON.parse(meta).project_name).toBe(path.basename(ws));
    expect(await ok(c(), 'get_task', { task_id: t.id, workspace_path: ws })).toEqual(t);
    const list = await ok(c(), 'list_tasks', { workspace_path: ws });
    expect(list).toMatchObject({ total_count: 1, returned_count: 1, limit: 100, offset: 0 });
    expect(Object.keys(list.items[0])).toEqual(SUMMARY_KEYS);
    const details = await ok(c(), 'list_tasks', { workspace_path: ws, mode: 'details' });
    expect(Object.keys(details.items[0])).toEqual(TASK_KEYS);
    const raw = await callRaw(c(), 'list_tasks', { workspace_path: ws });
    expect(raw.structuredContent).toEqual({ result: list });
    expect(raw.content[0].text).not.toMatch(/\s"|":\s/);
    // create: [] stored as NULL; explicit created_by "" kept
    const t2 = await ok(c(), 'create_task', { title: 'x', workspace_path: ws, depends_on: [], created_by: '', tags: '' });
    expect(t2).toMatchObject({ depends_on: null, created_by: '', tags: '' });
    const t3 = await ok(c(), 'create_task', { title: 'done', workspace_path: ws, status: 'done' });
    expect(t3.completed_at).toBeNull();
  });

  it('argument validation: pydantic lax coercion, missing/unexpected args, unknown tool', async () => {
    ws = fresh();
    expect(await ok(c(), 'list_tasks', { workspace_path: ws, limit: '10' })).toMatchObject({ limit: 10 });
    const frac = await err(c(), 'list_tasks', { workspace_path: ws, limit: 2.5 });
    expect(frac.split('\n').slice(0, 3)).toEqual([
      '1 validation error for call[list_tasks]', 'limit',
      '  Input should be a valid integer, got a number with a fractional part [type=int_from_float, input_value=2.5, input_type=float]']);
    expect(await err(c(), 'get_task', { task_id: 'abc', workspace_path: ws })).toContain(
      'task_id\n  Input should be a valid integer, unable to parse string as an integer [type=int_parsing, input_value=\'abc\', input_type=str]');
    expect(await err(c(), 'create_task', { title: 'x', workspace_path: ws, tags: 5 })).toContain(
      'tags\n  Input should be a valid string [type=string_type, input_value=5, input_type=int]');
    expect(await err(c(), 'get_task', { task_id: 1, workspace_path: null })).toContain('workspace_path\n  Input should be a valid string [type=string_type, input_value=None, input_type=NoneType]');
    const missing = await err(c(), 'get_task', { task_id: 1 });
    expect(missing).toMatch(/^1 validation error for call\[get_task\]\nworkspace_path\n {2}Missing required argument \[type=missing_argument/);
    expect(await err(c(), 'list_tasks', { workspace_path: ws, foo: 1 })).toContain('foo\n  Unexpected keyword argument [type=unexpected_keyword_argument, input_value=1, input_type=int]');
    expect(await err(c(), 'create_task', { title: 'x', workspace_path: ws, depends_on: [1, 'z'] })).toContain('depends_on.1\n');
    expect(await err(c(), 'delete_task', { task_id: 1, workspace_path: ws, cascade: 'maybe' })).toContain('[type=bool_parsing');
    expect(await err(c(), 'no_such_tool', {})).toBe('Unknown tool: no_such_tool');
    expect(await err(c(), 'get_task', { task_id: 1, workspace_path: '' })).toMatch(/^Error calling tool 'get_task': workspace_path is REQUIRED/);
    expect(await err(c(), 'get_task', { task_id: 1, workspace_path: '   ' })).toBe("Error calling tool 'get_task': Path cannot be empty");
    expect(await err(c(), 'set_project_name', { workspace_path: '', friendly_name: 'x' })).toBe("Error calling tool 'set_project_name': Path cannot be empty");
  });

  it('pagination and mode soft errors, boundaries', async () => {
    ws = fresh();
    for (let i = 0; i < 3; i++) await ok(c(), 'create_task', { title: `t${i}`, workspace_path: ws });
    for (const limit of [0, -5, 1001]) {
      expect(await ok(c(), 'list_tasks', { workspace_path: ws, limit })).toEqual({
        error: { code: 'PAGINATION_INVALID', message: `limit must be between 1 and 1000, got ${limit}`, details: { limit } } });
    }
    expect(await ok(c(), 'search_tasks', { search_term: '', workspace_path: ws, offset: -1 })).toEqual({
      error: { code: 'PAGINATION_INVALID', message: 'offset must be >= 0, got -1', details: { offset: -1 } } });
    // PAG is checked before WS
    expect((await ok(c(), 'list_tasks', { workspace_path: '', limit: 0 })).error.code).toBe('PAGINATION_INVALID');
    expect(await ok(c(), 'list_entities', { workspace_path: ws, mode: 'Summary' })).toEqual({
      error: { code: 'INVALID_MODE', message: "Invalid mode: Summary. Must be 'summary' or 'details'", details: { provided_mode: 'Summary' } } });
    expect((await ok(c(), 'list_tasks', { workspace_path: ws, limit: 1000 })).returned_count).toBe(3);
    const one = await ok(c(), 'list_tasks', { workspace_path: ws, limit: 1 });
    expect(one).toMatchObject({ total_count: 3, returned_count: 1 });
    expect(one.items[0].title).toBe('t2'); // created_at DESC
    expect(await ok(c(), 'list_tasks', { workspace_path: ws, offset: 10 })).toMatchObject({ total_count: 3, returned_count: 0, items: [] });
  });

  it('filters, search wildcards and ASCII case folding', async () => {
    ws = fresh();
    const a = await ok(c(), 'create_task', { title: 'Alpha', workspace_path: ws, tags: 'python backend', priority: 'low' });
    await ok(c(), 'create_task', { title: 'beta', workspace_path: ws, tags: 'pythonic', parent_task_id: a.id });
    await ok(c(), 'create_task', { title: 'Éclair', workspace_path: ws, description: 'x_y' });
    const titles = async (tool: string, args: Record<string, unknown>) =>
      (await ok(c(), tool, { workspace_path: ws, ...args })).items.map((i: any) => i.title).sort();
    expect(await titles('list_tasks', { tags: 'pyth' })).toEqual(['Alpha', 'beta']);
    expect(await titles('list_tasks', { tags: 'backend python' })).toEqual([]);
    expect(await titles('list_tasks', { tags: 'PYTHON' })).toEqual(['Alpha', 'beta']);
    expect(await titles('list_tasks', { priority: 'low' })).toEqual(['Alpha']);
    expect(await titles('list_tasks', { status: 'bogus' })).toEqual([]);
    expect(await titles('list_tasks', { status: '' })).toHaveLength(3);
    expect(await titles('list_tasks', { parent_task_id: a.id })).toEqual(['beta']);
    expect(await titles('list_tasks', { parent_task_id: 0 })).toEqual([]);
    expect(await titles('search_tasks', { search_term: '%' })).toHaveLength(3);
    expect(await titles('search_tasks', { search_term: 'b_ta' })).toEqual(['beta']);
    expect(await titles('search_tasks', { search_term: 'ALPHA' })).toEqual(['Alpha']);
    expect(await titles('search_tasks', { search_term: 'éclair' })).toEqual([]);
    expect(await titles('search_tasks', { search_term: 'x_y' })).toEqual(['Éclair']);
  });

  it('update_task: state machine, blocked rules, dependencies, empty values', async () => {
    ws = fresh();
    const dep = await ok(c(), 'create_task', { title: 'dep', workspace_path: ws });
    const t = await ok(c(), 'create_task', { title: 't', workspace_path: ws, depends_on: [dep.id, 99999] });
    const u = (args: Record<string, unknown>) => ({ task_id: t.id, workspace_path: ws, ...args });
    expect(await err(c(), 'update_task', u({ status: 'done' }))).toBe("Error calling tool 'update_task': Invalid status transition from 'todo' to 'done'");
    expect(await err(c(), 'update_task', u({ status: 'foo' }))).toBe("Error calling tool 'update_task': Invalid status transition from 'todo' to 'foo'");
    const blockedErr = await err(c(), 'update_task', u({ status: 'blocked' }));
    expect(blockedErr.split('\n').slice(0, 2)).toEqual(['1 validation error for TaskUpdate', "  Value error, blocker_reason is required when status is 'blocked' [type=value_error, input_value={'status': 'blocked'}, input_type=dict]"]);
    expect(await err(c(), 'update_task', u({ status: 'blocked', blocker_reason: '   ' }))).toContain('1 validation error for TaskUpdate');
    const b = await ok(c(), 'update_task', u({ status: 'blocked', blocker_reason: 'waiting' }));
    expect(b).toMatchObject({ status: 'blocked', blocker_reason: 'waiting' });
    expect(await err(c(), 'update_task', u({ blocker_reason: '' }))).toBe("Error calling tool 'update_task': blocker_reason is required when status is 'blocked'");
    expect(await err(c(), 'update_task', u({ status: 'done' }))).toContain("from 'blocked' to 'done'");
    await ok(c(), 'update_task', u({ status: 'in_progress' }));
    expect(await err(c(), 'update_task', u({ status: 'done' }))).toBe(`Error calling tool 'update_task': Cannot mark task as done: dependency ${dep.id} is not done (status: todo)`);
    const d = await ok(c(), 'update_task', u({ status: 'done', depends_on: [] }));
    expect(d).toMatchObject({ status: 'done', depends_on: '[]' });
    expect(d.completed_at).toMatch(ISO);
    const again = await ok(c(), 'update_task', u({ status: 'done' }));
    expect(again.completed_at >= d.completed_at).toBe(true);
    expect(await err(c(), 'update_task', u({ status: 'in_progress' }))).toContain("from 'done' to 'in_progress'");
    const noop = await ok(c(), 'update_task', u({}));
    expect(noop.updated_at > d.updated_at).toBe(true);
    expect(await ok(c(), 'update_task', u({ tags: '' }))).toMatchObject({ tags: '' });
    expect(await err(c(), 'update_task', u({ title: 'x'.repeat(501) }))).toContain('String should have at most 500 characters [type=string_too_long');
    expect(await err(c(), 'update_task', u({ priority: 'urgent' }))).toContain("Value error, Priority must be one of ('low', 'medium', 'high'), got 'urgent'");
    expect(await err(c(), 'update_task', u({ parent_task_id: 424242 }))).toBe("Error calling tool 'update_task': FOREIGN KEY constraint failed");
    expect(await err(c(), 'update_task', { task_id: 999, workspace_path: ws })).toBe("Error calling tool 'update_task': Task 999 not found or has been deleted");
  });

  it('create_task validation: enums, blocked, lengths in code points, FK', async () => {
    ws = fresh();
    expect(await err(c(), 'create_task', { title: 'x', workspace_path: ws, status: 'nope' })).toContain(
      "status\n  Value error, Status must be one of ('todo', 'in_progress', 'blocked', 'done', 'cancelled', 'to_be_deleted'), got 'nope' [type=value_error, input_value='nope', input_type=str]");
    expect(await err(c(), 'create_task', { title: 'x', workspace_path: ws, status: 'blocked' })).toMatch(/^1 validation error for TaskCreate\n {2}Value error, blocker_reason is required/);
    expect(await ok(c(), 'create_task', { title: '😀'.repeat(500), workspace_path: ws })).toHaveProperty('id');
    expect(await err(c(), 'create_task', { title: '😀'.repeat(501), workspace_path: ws })).toContain('string_too_long');
    expect(await ok(c(), 'create_task', { title: 'd', workspace_path: ws, description: '😀'.repeat(10000) })).toHaveProperty('id');
    expect(await err(c(), 'create_task', { title: 'd', workspace_path: ws, description: 'x'.repeat(10001) })).toBe(
      "Error calling tool 'create_task': Description exceeds 10,000 character limit (got 10001 chars)");
    expect(await err(c(), 'create_task', { title: 'x', workspace_path: ws, parent_task_id: 9999 })).toBe("Error calling tool 'create_task': FOREIGN KEY constraint failed");
  });

  it('tree, delete, cleanup (incl. FK failure) and recursion guard', async () => {
    ws = fresh();
    const root = await ok(c(), 'create_task', { title: 'root', workspace_path: ws });
    const kid = await ok(c(), 'create_task', { title: 'kid', workspace_path: ws, parent_task_id: root.id });
    const kid2 = await ok(c(), 'create_task', { title: 'kid2', workspace_path: ws, parent_task_id: root.id });
    const grand = await ok(c(), 'create_task', { title: 'grand', workspace_path: ws, parent_task_id: kid.id });
    const sum = await ok(c(), 'get_task_tree', { task_id: root.id, workspace_path: ws });
    expect(Object.keys(sum)).toEqual([...SUMMARY_KEYS, 'subtasks']);
    expect(sum.subtasks.map((x: any) => x.id)).toEqual([kid.id, kid2.id]);
    expect(sum.subtasks[1]).not.toHaveProperty('subtasks');
    expect(sum.subtasks[0].subtasks[0].id).toBe(grand.id);
    const det = await ok(c(), 'get_task_tree', { task_id: root.id, workspace_path: ws, mode: 'details' });
    expect(Object.keys(det)).toEqual([...TASK_KEYS, 'subtasks']);
    expect(det.subtasks[1].subtasks).toEqual([]);
    expect(await ok(c(), 'get_task_tree', { task_id: root.id, workspace_path: ws, mode: 'bad' })).toMatchObject({ error: { code: 'INVALID_MODE' } });
    expect(await err(c(), 'get_task_tree', { task_id: 999, workspace_path: ws, mode: 'bad' })).toBe("Error calling tool 'get_task_tree': Task 999 not found");
    // self-parent: a hard error, not a stack overflow
    const selfish = await ok(c(), 'create_task', { title: 'self', workspace_path: ws });
    await ok(c(), 'update_task', { task_id: selfish.id, workspace_path: ws, parent_task_id: selfish.id });
    expect(await err(c(), 'get_task_tree', { task_id: selfish.id, workspace_path: ws })).toMatch(/^Error calling tool 'get_task_tree': maximum recursion depth exceeded/);
    // delete without cascade leaves children -> cleanup fails on the FK, nothing purged
    expect(await ok(c(), 'delete_task', { task_id: kid.id, workspace_path: ws })).toEqual({ success: true, task_id: kid.id, deleted_count: 1, cascade: false });
    expect(await err(c(), 'delete_task', { task_id: kid.id, workspace_path: ws })).toBe(`Error calling tool 'delete_task': Task ${kid.id} not found or already deleted`);
    expect(await err(c(), 'cleanup_deleted_tasks', { workspace_path: ws, days: 0 })).toBe("Error calling tool 'cleanup_deleted_tasks': FOREIGN KEY constraint failed");
    expect(await err(c(), 'get_task', { task_id: kid.id, workspace_path: ws })).toContain('not found or has been deleted');
    // cascade deletes direct children only
    expect(await ok(c(), 'delete_task', { task_id: root.id, workspace_path: ws, cascade: true })).toMatchObject({ deleted_count: 2, cascade: true });
    expect(await ok(c(), 'get_task', { task_id: grand.id, workspace_path: ws })).toHaveProperty('id', grand.id);
    await ok(c(), 'delete_task', { task_id: grand.id, workspace_path: ws });
    const kept = await ok(c(), 'cleanup_deleted_tasks', { workspace_path: ws });
    expect(kept).toMatchObject({ success: true, purged_count: 0, cutoff_days: 30 });
    expect(kept.cutoff_date).toMatch(ISO);
    expect(await ok(c(), 'cleanup_deleted_tasks', { workspace_path: ws, days: -1 })).toMatchObject({ purged_count: 4 });
  });

  it('projects: list, info stats, names, usage stats, path spellings', async () => {
    ws = fresh();
    mkdirSync(ws, { recursive: true });
    const link = `${ws}-link`;
    symlinkSync(ws, link);
    await ok(c(), 'create_task', { title: 'a', workspace_path: `${ws}/` });
    await ok(c(), 'create_task', { title: 'b', workspace_path: `${link}//sub/..`, priority: 'high' });
    const info = await ok(c(), 'get_project_info', { workspace_path: ws });
    expect(Object.keys(info)).toEqual(['id', 'workspace_path', 'friendly_name', 'created_at', 'last_accessed', 'total_tasks', 'by_status', 'by_priority', 'blocked_count']);
    expect(info).toMatchObject({ id: projectIdFor(ws), workspace_path: ws, total_tasks: 2, by_status: { todo: 2 }, by_priority: { high: 1, medium: 1 }, blocked_count: 0 });
    const named = await ok(c(), 'set_project_name', { workspace_path: `${ws}/`, friendly_name: 'Demo' });
    expect(named).toEqual({ success: true, project_id: info.id, workspace_path: `${ws}/`, friendly_name: 'Demo' });
    const t = await ok(c(), 'create_task', { title: 'c', workspace_path: ws });
    expect(JSON.parse(t.workspace_metadata).project_name).toBe('Demo');
    const projects = await ok(c(), 'list_projects');
    expect(projects[0]).toMatchObject({ id: info.id, workspace_path: ws, friendly_name: 'Demo' });
    const usage = await ok(c(), 'get_usage_stats', { workspace_path: ws });
    expect(usage).toMatchObject({ total_calls: 0, successful_calls: null, success_rate: 0, tools: [], timeline: [], filter: { workspace_id: info.id, tool_name: null } });
    const raw = await callRaw(c(), 'get_usage_stats', { workspace_path: '/never/registered', days: 0 });
    expect(raw.structuredContent).toMatchObject({ total_calls: 0 });
    expect((await ok(c(), 'list_projects')).some((p: any) => p.workspace_path === '/never/registered')).toBe(false);
    // non-existent workspace: a read answers as for an empty project and registers nothing (task-mcp
    // would register it and create its database); a write registers it, still without a directory
    const ghost = path.join(ws, 'nonexistent', 'dir');
    expect(await err(c(), 'get_task', { task_id: 1, workspace_path: `${ghost}/` })).toContain('Task 1 not found');
    expect((await ok(c(), 'list_projects')).some((p: any) => p.workspace_path === ghost)).toBe(false);
    expect(existsSync(path.join(home.dir, 'store', 'databases', `project_${projectIdFor(ghost)}.db`))).toBe(false);
    await ok(c(), 'create_task', { title: 'g', workspace_path: ghost });
    expect((await ok(c(), 'list_projects')).some((p: any) => p.workspace_path === ghost)).toBe(true);
    expect(existsSync(ghost)).toBe(false);
  });

  it('entities and links', async () => {
    ws = fresh();
    const task = await ok(c(), 'create_task', { title: 't', workspace_path: ws });
    const e = await ok(c(), 'create_entity', { entity_type: 'file', name: 'a.py', identifier: '/src/a.py', workspace_path: ws, metadata: { b: 1, a: 'é', f: 1.5 }, tags: 'Code  PY' });
    expect(Object.keys(e)).toEqual(ENTITY_KEYS);
    expect(e).toMatchObject({ metadata: '{"b": 1, "a": "\\u00e9", "f": 1.5}', tags: 'code py', updated_by: null });
    expect(await err(c(), 'create_entity', { entity_type: 'file', name: 'dup', identifier: '/src/a.py', workspace_path: ws })).toBe(
      `Error calling tool 'create_entity': Entity already exists: file='/src/a.py' (id=${e.id}, name='a.py')`);
    expect(await ok(c(), 'create_entity', { entity_type: 'other', name: 'o', identifier: '/src/a.py', workspace_path: ws, metadata: '[1,2]' })).toMatchObject({ metadata: '[1,2]' });
    expect(await ok(c(), 'create_entity', { entity_type: 'other', name: 'm', workspace_path: ws, metadata: '' })).toMatchObject({ metadata: null });
    expect(await err(c(), 'create_entity', { entity_type: 'dir', name: 'x', workspace_path: ws })).toContain("Value error, entity_type must be one of ('file', 'other'), got 'dir'");
    expect(await err(c(), 'create_entity', { entity_type: 'file', name: 'x', workspace_path: ws, metadata: '{bad' })).toContain(
      'metadata must be valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)');
    const link = await ok(c(), 'link_entity_to_task', { task_id: task.id, entity_id: e.id, workspace_path: ws });
    expect(Object.keys(link)).toEqual(['link_id', 'task_id', 'entity_id', 'created_by', 'created_at']);
    expect(await err(c(), 'link_entity_to_task', { task_id: task.id, entity_id: e.id, workspace_path: ws })).toBe(
      `Error calling tool 'link_entity_to_task': Link already exists between task ${task.id} and entity ${e.id}`);
    expect(await err(c(), 'link_entity_to_task', { task_id: 999, entity_id: e.id, workspace_path: ws })).toContain('Task 999 not found or has been deleted');
    const te = await ok(c(), 'get_task_entities', { task_id: task.id, workspace_path: ws });
    expect(Object.keys(te[0])).toEqual(['id', 'entity_type', 'name', 'identifier', 'tags', 'created_at', 'link_created_at', 'link_created_by']);
    expect(await err(c(), 'get_task_entities', { task_id: task.id, workspace_path: ws, mode: 'bad' })).toMatch(/^Output validation error: \{'error': \{'code': 'INVALID_MODE'.* is not of type 'array'$/);
    const et = await ok(c(), 'get_entity_tasks', { entity_id: e.id, workspace_path: ws, mode: 'details' });
    expect(et.total_count).toBe(1);
    expect(Object.keys(et.items[0])).toEqual([...TASK_KEYS, 'link_created_at', 'link_created_by']);
    expect((await ok(c(), 'get_entity_tasks', { entity_id: e.id, workspace_path: ws, status: '' })).total_count).toBe(0);
    const up = await ok(c(), 'update_entity', { entity_id: e.id, workspace_path: ws });
    expect(typeof up.updated_by).toBe('string');
    expect(up.updated_at > e.updated_at).toBe(true);
    expect(await err(c(), 'update_entity', { entity_id: 999, workspace_path: ws, name: '' })).toContain('1 validation error for EntityUpdate\nname');
    expect(await ok(c(), 'list_entities', { workspace_path: ws, tags: 'py code' })).toMatchObject({ total_count: 1 });
    expect((await ok(c(), 'search_entities', { search_term: 'SRC/A', workspace_path: ws })).total_count).toBe(2);
    expect((await ok(c(), 'search_entities', { search_term: 'src', workspace_path: ws, entity_type: 'file' })).total_count).toBe(1);
    expect(await ok(c(), 'delete_entity', { entity_id: e.id, workspace_path: ws })).toEqual({ success: true, entity_id: e.id, deleted_links: 1 });
    const empty = await callRaw(c(), 'get_task_entities', { task_id: task.id, workspace_path: ws });
    expect(empty.content).toEqual([]);
    expect(empty.structuredContent).toEqual({ result: [] });
    expect(await err(c(), 'get_entity', { entity_id: e.id, workspace_path: ws })).toBe(`Error calling tool 'get_entity': Entity ${e.id} not found or has been deleted`);
    expect(await ok(c(), 'create_entity', { entity_type: 'file', name: 'again', identifier: '/src/a.py', workspace_path: ws })).toHaveProperty('id');
  });

  it('response size limit', async () => {
    ws = fresh();
    for (let i = 0; i < 7; i++) await ok(c(), 'create_task', { title: `big${i}`, workspace_path: ws, description: 'x'.repeat(10000) });
    const big = await ok(c(), 'list_tasks', { workspace_path: ws, mode: 'details' });
    expect(big.error.code).toBe('RESPONSE_SIZE_EXCEEDED');
    expect(big.suggestion).toBe('Use pagination (limit parameter), summary mode, or filters to reduce results');
    expect(big.error.details.actual_tokens).toBeGreaterThan(15000);
    expect((await ok(c(), 'list_tasks', { workspace_path: ws, mode: 'details', limit: 5 })).returned_count).toBe(5);
  });

  it('extensions: next, blocked, dependents, tags', async () => {
    ws = fresh();
    const a = await ok(c(), 'create_task', { title: 'a', workspace_path: ws, priority: 'low', tags: 'x y' });
    const b = await ok(c(), 'create_task', { title: 'b', workspace_path: ws, priority: 'high', depends_on: [a.id], tags: 'y' });
    const d = await ok(c(), 'create_task', { title: 'd', workspace_path: ws, depends_on: [99999], tags: 'z y' });
    const bl = await ok(c(), 'create_task', { title: 'bl', workspace_path: ws });
    await ok(c(), 'update_task', { task_id: bl.id, workspace_path: ws, status: 'blocked', blocker_reason: 'why' });
    expect((await ok(c(), 'get_next_tasks', { workspace_path: ws })).map((t: any) => t.title)).toEqual(['d', 'a']);
    await ok(c(), 'update_task', { task_id: a.id, workspace_path: ws, status: 'in_progress' });
    await ok(c(), 'update_task', { task_id: a.id, workspace_path: ws, status: 'done' });
    const next = await ok(c(), 'get_next_tasks', { workspace_path: ws, limit: 1 });
    expect(next.map((t: any) => t.title)).toEqual(['b']);
    expect(Object.keys(next[0])).toEqual(TASK_KEYS);
    const blocked = await ok(c(), 'get_blocked_tasks', { workspace_path: ws });
    expect(blocked).toHaveLength(1);
    expect(blocked[0]).toMatchObject({ id: bl.id, blocker_reason: 'why' });
    expect(await ok(c(), 'get_task_dependents', { workspace_path: ws, task_ids: [a.id, 99999, 5] })).toEqual({
      dependents: { [a.id]: [b.id], 99999: [d.id], 5: [] } });
    expect(await ok(c(), 'list_tags', { workspace_path: ws })).toEqual([
      { tag: 'y', count: 3 }, { tag: 'x', count: 1 }, { tag: 'z', count: 1 }]);
    const tools = (await c().listTools()).tools;
    expect(tools.find((t) => t.name === 'get_next_tasks')?.description).toContain('EXTENSION');
  });

  it('audit_workspace_integrity', async () => {
    ws = fresh();
    await ok(c(), 'create_task', { title: 'ok', workspace_path: ws, file_references: [`${ws}/a.py`] });
    const bad = await ok(c(), 'create_task', { title: 'bad', workspace_path: ws, file_references: ['/elsewhere/x.py'], tags: 'other-project foo-mcp task-mcp', description: 'see /opt/other/file.txt for details' });
    await ok(c(), 'create_entity', { entity_type: 'other', name: 'v', identifier: 'vendor/x', workspace_path: ws });
    const r = await ok(c(), 'audit_workspace_integrity', { workspace_path: ws, check_git_repo: false });
    expect(r.contamination_found).toBe(true);
    expect(r.issues.file_reference_mismatches).toEqual([{ task_id: bad.id, task_title: 'bad', file_references: ['/elsewhere/x.py'], expected_prefix: ws, severity: 'high' }]);
    expect(r.issues.suspicious_tags[0].reason).toBe(
      "Pattern '\\b(other-project|another-workspace|different-repo)\\b' suggests different workspace; Pattern '\\b\\w+-mcp\\b(?<!task-mcp)' suggests different workspace");
    expect(r.issues.description_path_references[0].detected_paths).toEqual(['/opt/other/file.txt']);
    expect(r.issues.entity_identifier_mismatches).toHaveLength(1);
    expect(r.statistics).toMatchObject({ contaminated_tasks: 1, contaminated_entities: 1, high_severity_issues: 2, medium_severity_issues: 1, low_severity_issues: 1 });
    expect(r.recommendations.at(-1)).toBe('Consider creating cleanup tasks to resolve contamination issues');
    expect(r).not.toHaveProperty('git_info');
    const raw = await callRaw(c(), 'audit_workspace_integrity', { workspace_path: ws });
    expect(raw.content[0].text).toContain('"contamination_percentage":66.7');
    expect(JSON.parse(raw.content[0].text!).git_info).toMatchObject({ git_repo_detected: false, git_root: null });
  });
});
