/**
 * Compare-and-set writes: the same texts and validation order as the unchecked tools, the precondition
 * inside the write, and 20 concurrent writers from 4 server processes with one version: exactly one wins.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInMemory, type InMemoryConnection } from '../../src/taskmcp/index.js';
import { type Session, callRaw, err, ok, openStdio, tempHome } from '../helpers/taskmcp-harness.js';

let home: ReturnType<typeof tempHome>;
let conn: InMemoryConnection;
let n = 0;
const fresh = () => path.join(home.dir, 'ws', `w${++n}`);
const c = () => conn.client;

beforeAll(async () => {
  home = tempHome('taskmcp-checked-');
  conn = await connectInMemory({ home: home.dir });
});
afterAll(async () => {
  await conn.close();
  home.cleanup();
});

describe('task and entity compare-and-set', () => {
  it('update_task_checked: applies on the current version, refuses a stale one, keeps update_task texts', async () => {
    const ws = fresh();
    const t = await ok(c(), 'create_task', { title: 't', workspace_path: ws });
    const u = (args: Record<string, unknown>) => ({ task_id: t.id, workspace_path: ws, ...args });
    const done = await ok(c(), 'update_task_checked', u({ status: 'in_progress', expected_updated_at: t.updated_at }));
    expect(done).toMatchObject({ id: t.id, status: 'in_progress' });
    expect(done.updated_at > t.updated_at).toBe(true);
    expect(await err(c(), 'update_task_checked', u({ title: 'x', expected_updated_at: t.updated_at }))).toBe(
      `Error calling tool 'update_task_checked': Precondition failed: task ${t.id} has changed (updated_at ${done.updated_at}, expected ${t.updated_at})`);
    expect((await ok(c(), 'get_task', { task_id: t.id, workspace_path: ws })).title).toBe('t');
    // the unchecked tool's texts and order: description first, then not found, then (ours) the version, then the rules
    expect(await err(c(), 'update_task_checked', u({ description: 'x'.repeat(10001), expected_updated_at: 'stale' }))).toBe(
      "Error calling tool 'update_task_checked': Description exceeds 10,000 character limit (got 10001 chars)");
    expect(await err(c(), 'update_task_checked', { task_id: 999, workspace_path: ws, expected_updated_at: 'x' })).toBe(
      "Error calling tool 'update_task_checked': Task 999 not found or has been deleted");
    expect(await err(c(), 'update_task_checked', u({ status: 'todo', expected_updated_at: done.updated_at }))).toBe(
      "Error calling tool 'update_task_checked': Invalid status transition from 'in_progress' to 'todo'");
    expect(await err(c(), 'update_task_checked', u({ status: 'blocked', expected_updated_at: done.updated_at }))).toMatch(/^1 validation error for TaskUpdate\n/);
    expect(await err(c(), 'update_task_checked', u({}))).toMatch(/^1 validation error for call\[update_task_checked\]\nexpected_updated_at\n {2}Missing required argument/);
  });

  it('delete_task_checked, update_entity_checked, delete_entity_checked', async () => {
    const ws = fresh();
    const t = await ok(c(), 'create_task', { title: 't', workspace_path: ws });
    const kid = await ok(c(), 'create_task', { title: 'kid', workspace_path: ws, parent_task_id: t.id });
    expect(await err(c(), 'delete_task_checked', { task_id: t.id, workspace_path: ws, expected_updated_at: 'old', cascade: true })).toMatch(
      /^Error calling tool 'delete_task_checked': Precondition failed: task \d+ has changed/);
    expect(await ok(c(), 'delete_task_checked', { task_id: t.id, workspace_path: ws, expected_updated_at: t.updated_at, cascade: true })).toEqual(
      { success: true, task_id: t.id, deleted_count: 2, cascade: true });
    expect(await err(c(), 'get_task', { task_id: kid.id, workspace_path: ws })).toContain('not found');
    expect(await err(c(), 'delete_task_checked', { task_id: t.id, workspace_path: ws, expected_updated_at: t.updated_at })).toBe(
      `Error calling tool 'delete_task_checked': Task ${t.id} not found or already deleted`);

    const e = await ok(c(), 'create_entity', { entity_type: 'file', name: 'a', identifier: 'a.ts', workspace_path: ws });
    const up = await ok(c(), 'update_entity_checked', { entity_id: e.id, workspace_path: ws, name: 'b', expected_updated_at: e.updated_at });
    expect(up).toMatchObject({ name: 'b', updated_by: expect.any(String) });
    expect(await err(c(), 'update_entity_checked', { entity_id: e.id, workspace_path: ws, name: 'c', expected_updated_at: e.updated_at })).toBe(
      `Error calling tool 'update_entity_checked': Precondition failed: entity ${e.id} has changed (updated_at ${up.updated_at}, expected ${e.updated_at})`);
    expect(await err(c(), 'update_entity_checked', { entity_id: 999, workspace_path: ws, name: '', expected_updated_at: 'x' })).toMatch(/^1 validation error for EntityUpdate\nname/);
    expect(await err(c(), 'update_entity_checked', { entity_id: 999, workspace_path: ws, expected_updated_at: 'x' })).toBe(
      "Error calling tool 'update_entity_checked': Entity 999 not found or has been deleted");
    expect(await err(c(), 'delete_entity_checked', { entity_id: e.id, workspace_path: ws, expected_updated_at: e.updated_at })).toContain('Precondition failed: entity');
    expect(await ok(c(), 'delete_entity_checked', { entity_id: e.id, workspace_path: ws, expected_updated_at: up.updated_at })).toEqual(
      { success: true, entity_id: e.id, deleted_links: 0 });
    expect(await err(c(), 'delete_entity_checked', { entity_id: e.id, workspace_path: ws, expected_updated_at: up.updated_at })).toBe(
      `Error calling tool 'delete_entity_checked': Entity ${e.id} not found or already deleted`);
  });
});

describe('update_project', () => {
  it('sets and clears the name of a registered project, with an optional expected name', async () => {
    const ws = fresh();
    expect(await err(c(), 'update_project', { workspace_path: ws, friendly_name: 'X' })).toBe(`Error calling tool 'update_project': Project not found: ${ws}`);
    expect(await err(c(), 'update_project', { workspace_path: ws })).toContain('friendly_name\n  Missing required argument');
    await ok(c(), 'create_task', { title: 't', workspace_path: ws });
    const named = await ok(c(), 'update_project', { workspace_path: `${ws}/`, friendly_name: 'Alpha' });
    expect(Object.keys(named)).toEqual(['id', 'workspace_path', 'friendly_name', 'created_at', 'last_accessed']);
    expect(named).toMatchObject({ workspace_path: ws, friendly_name: 'Alpha' });
    expect(await err(c(), 'update_project', { workspace_path: ws, friendly_name: 'Beta', check_expected: true, expected_friendly_name: 'Old' })).toBe(
      `Error calling tool 'update_project': Precondition failed: project ${named.id} has changed (friendly_name "Alpha", expected "Old")`);
    expect(await ok(c(), 'update_project', { workspace_path: ws, friendly_name: 'Beta', check_expected: true, expected_friendly_name: 'Alpha' })).toMatchObject({ friendly_name: 'Beta' });
    // check_expected false ignores expected_friendly_name; null clears
    expect(await ok(c(), 'update_project', { workspace_path: ws, friendly_name: null, expected_friendly_name: 'nope' })).toMatchObject({ friendly_name: null });
    expect(await ok(c(), 'update_project', { workspace_path: ws, friendly_name: 'Gamma', check_expected: true, expected_friendly_name: null })).toMatchObject({ friendly_name: 'Gamma' });
    expect((await ok(c(), 'list_projects')).find((p: any) => p.id === named.id).friendly_name).toBe('Gamma');
  });
});

describe('20 concurrent writers from 4 processes, one version', () => {
  let sessions: Session[] = [];
  beforeAll(async () => {
    sessions = await Promise.all(Array.from({ length: 4 }, () => openStdio(home.dir)));
  });
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
  });

  async function race(tool: string, args: (i: number) => Record<string, unknown>) {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => callRaw(sessions[i % 4].client, tool, args(i))));
    const wins = results.filter((r) => !r.isError);
    const refused = results.filter((r) => r.isError && r.content[0].text!.includes('Precondition failed: '));
    return { wins, refused, other: results.filter((r) => !wins.includes(r) && !refused.includes(r)) };
  }

  it('update_task_checked: exactly one succeeds, the row holds its value', async () => {
    const ws = fresh();
    const t = await ok(c(), 'create_task', { title: 'contended', workspace_path: ws });
    const { wins, refused, other } = await race('update_task_checked', (i) => ({ task_id: t.id, workspace_path: ws, title: `writer ${i}`, expected_updated_at: t.updated_at }));
    expect(other.map((r) => r.content[0].text)).toEqual([]);
    expect(wins).toHaveLength(1);
    expect(refused).toHaveLength(19);
    const winner = JSON.parse(wins[0].content[0].text!);
    expect((await ok(c(), 'get_task', { task_id: t.id, workspace_path: ws })).title).toBe(winner.title);
  }, 60_000);

  it('update_entity_checked and update_project: exactly one succeeds', async () => {
    const ws = fresh();
    const e = await ok(c(), 'create_entity', { entity_type: 'other', name: 'e', workspace_path: ws });
    const ent = await race('update_entity_checked', (i) => ({ entity_id: e.id, workspace_path: ws, name: `writer ${i}`, expected_updated_at: e.updated_at }));
    expect([ent.wins.length, ent.refused.length, ent.other.length]).toEqual([1, 19, 0]);
    await ok(c(), 'update_project', { workspace_path: ws, friendly_name: 'start' });
    const proj = await race('update_project', (i) => ({ workspace_path: ws, friendly_name: `writer ${i}`, check_expected: true, expected_friendly_name: 'start' }));
    expect([proj.wins.length, proj.refused.length, proj.other.length]).toEqual([1, 19, 0]);
  }, 60_000);
});
