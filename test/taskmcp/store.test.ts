/**
 * Robustness of the store on real files: reads create and wait for nothing (no registry rows, no database
 * files, last_accessed at most once a minute and never while the registry is locked), open connections
 * are bounded, a deleted or replaced database file is noticed, and a read-only file recovers once writable.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInMemory, openStore, projectIdFor } from '../../src/taskmcp/index.js';
import { initProjectSchema } from '../../src/taskmcp/schema.js';
import { waitFor } from '../helpers/processes.js';
import { err, ok, tempHome } from '../helpers/taskmcp-harness.js';

let home: ReturnType<typeof tempHome>;
beforeAll(() => {
  home = tempHome('taskmcp-store-');
});
afterAll(() => home.cleanup());

const dbFileOf = (storeDir: string, ws: string) => path.join(storeDir, 'databases', `project_${projectIdFor(ws)}.db`);

function lastAccessed(storeDir: string, ws: string): string {
  const m = new Database(path.join(storeDir, 'master.db'), { readonly: true });
  try {
    return (m.prepare('SELECT last_accessed FROM projects WHERE id = ?').get(projectIdFor(ws)) as { last_accessed: string }).last_accessed;
  } finally {
    m.close();
  }
}

/** Every read tool with arguments for `ws`. */
const READS: Array<[string, (ws: string) => Record<string, unknown>]> = [
  ['list_tasks', (ws) => ({ workspace_path: ws })],
  ['search_tasks', (ws) => ({ workspace_path: ws, search_term: 'x' })],
  ['get_task', (ws) => ({ workspace_path: ws, task_id: 1 })],
  ['get_task_tree', (ws) => ({ workspace_path: ws, task_id: 1 })],
  ['get_project_info', (ws) => ({ workspace_path: ws })],
  ['get_usage_stats', (ws) => ({ workspace_path: ws })],
  ['get_entity', (ws) => ({ workspace_path: ws, entity_id: 1 })],
  ['get_task_entities', (ws) => ({ workspace_path: ws, task_id: 1 })],
  ['get_entity_tasks', (ws) => ({ workspace_path: ws, entity_id: 1 })],
  ['list_entities', (ws) => ({ workspace_path: ws })],
  ['search_entities', (ws) => ({ workspace_path: ws, search_term: 'x' })],
  ['audit_workspace_integrity', (ws) => ({ workspace_path: ws, check_git_repo: false })],
  ['get_next_tasks', (ws) => ({ workspace_path: ws })],
  ['get_blocked_tasks', (ws) => ({ workspace_path: ws })],
  ['get_task_dependents', (ws) => ({ workspace_path: ws, task_ids: [1] })],
  ['list_tags', (ws) => ({ workspace_path: ws })],
  ['query_tasks', (ws) => ({ workspace_path: ws })],
];

describe('reads create nothing', () => {
  it('a spray of every read tool over new workspaces leaves no registry, no rows and no files', async () => {
    const storeDir = path.join(home.dir, 'spray');
    const conn = await connectInMemory({ home: storeDir });
    try {
      for (let i = 0; i < 10; i++) {
        const ws = path.join(home.dir, 'spray-ws', `w${i}`);
        for (const [tool, args] of READS) await conn.client.callTool({ name: tool, arguments: args(ws) });
        expect(await err(conn.client, 'get_project_info', { workspace_path: ws })).toBe(`Error calling tool 'get_project_info': Project not found: ${ws}`);
      }
      expect(await ok(conn.client, 'list_projects')).toEqual([]);
      expect(existsSync(storeDir)).toBe(false); // not even master.db or databases/
      // a write registers and creates, as task-mcp does
      const ws = path.join(home.dir, 'spray-ws', 'written');
      await ok(conn.client, 'create_task', { title: 't', workspace_path: ws });
      expect((await ok(conn.client, 'list_projects')).map((p: any) => p.workspace_path)).toEqual([ws]);
      expect(existsSync(dbFileOf(storeDir, ws))).toBe(true);
      for (const [tool, args] of READS) await conn.client.callTool({ name: tool, arguments: args(path.join(home.dir, 'spray-ws', 'again')) });
      expect(readdirSync(path.join(storeDir, 'databases')).filter((f) => f.endsWith('.db'))).toHaveLength(1);
    } finally {
      await conn.close();
    }
  });

  it('reads bump last_accessed at most once a minute per process, after the reply', async () => {
    const storeDir = path.join(home.dir, 'touch');
    const ws = path.join(home.dir, 'touch-ws');
    const writer = await connectInMemory({ home: storeDir });
    await ok(writer.client, 'create_task', { title: 't', workspace_path: ws });
    await writer.close();
    const registered = lastAccessed(storeDir, ws);
    // a new process-like store: its first read may touch
    const reader = await connectInMemory({ home: storeDir });
    try {
      await ok(reader.client, 'list_tasks', { workspace_path: ws });
      await waitFor(() => lastAccessed(storeDir, ws) > registered, 5000, 'last_accessed bumped');
      const touched = lastAccessed(storeDir, ws);
      for (let i = 0; i < 5; i++) await ok(reader.client, 'get_task', { task_id: 1, workspace_path: ws });
      await new Promise((r) => setImmediate(r));
      expect(lastAccessed(storeDir, ws)).toBe(touched);
      const info = await ok(reader.client, 'get_project_info', { workspace_path: ws });
      expect(info.last_accessed).toBe(touched);
    } finally {
      await reader.close();
    }
  });

  it('reads never wait for a locked registry: the touch is skipped and retried later', async () => {
    const storeDir = path.join(home.dir, 'locked');
    const ws = path.join(home.dir, 'locked-ws');
    const writer = await connectInMemory({ home: storeDir });
    await ok(writer.client, 'create_task', { title: 't', workspace_path: ws });
    await writer.close();
    const before = lastAccessed(storeDir, ws);
    const holder = new Database(path.join(storeDir, 'master.db'));
    holder.exec('BEGIN IMMEDIATE'); // another process mid-write holds the registry lock
    const reader = await connectInMemory({ home: storeDir });
    try {
      const started = Date.now();
      for (let i = 0; i < 3; i++) {
        expect((await ok(reader.client, 'list_tasks', { workspace_path: ws })).total_count).toBe(1);
        await new Promise((r) => setTimeout(r, 20)); // let the deferred touch run (and fail fast)
      }
      // busy_timeout is 5 s: a touch that waited would have held the event loop that long
      expect(Date.now() - started).toBeLessThan(4000);
      holder.exec('ROLLBACK');
      expect(lastAccessed(storeDir, ws)).toBe(before);
      await ok(reader.client, 'list_tasks', { workspace_path: ws });
      await waitFor(() => lastAccessed(storeDir, ws) > before, 5000, 'touch after the lock is released');
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
      await reader.close();
    }
  });
});

describe('connections', () => {
  it('are bounded by an LRU; evicted projects reopen on use', async () => {
    const storeDir = path.join(home.dir, 'lru');
    const store = openStore({ home: storeDir, maxProjectConnections: 3 });
    const conn = await connectInMemory({ store });
    const openDbFiles = () => new Set(readdirSync('/proc/self/fd').map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    }).filter((f) => f.startsWith(path.join(storeDir, 'databases')) && f.endsWith('.db'))).size;
    try {
      const spaces = Array.from({ length: 8 }, (_, i) => path.join(home.dir, 'lru-ws', `w${i}`));
      for (const ws of spaces) await ok(conn.client, 'create_task', { title: ws, workspace_path: ws });
      expect(store.openProjectCount()).toBe(3);
      expect(openDbFiles()).toBeLessThanOrEqual(3);
      for (const ws of spaces) {
        expect((await ok(conn.client, 'list_tasks', { workspace_path: ws })).items.map((t: any) => t.title)).toEqual([ws]);
        await ok(conn.client, 'create_task', { title: 'second', workspace_path: ws });
      }
      expect(store.openProjectCount()).toBe(3);
      expect(openDbFiles()).toBeLessThanOrEqual(3);
    } finally {
      await conn.close();
      store.close();
    }
  });

  it('notice a deleted database file: writes go to a new file, reads of a missing file do not create it', async () => {
    const storeDir = path.join(home.dir, 'deleted');
    const ws = path.join(home.dir, 'deleted-ws');
    const conn = await connectInMemory({ home: storeDir });
    try {
      for (let i = 0; i < 3; i++) await ok(conn.client, 'create_task', { title: `old ${i}`, workspace_path: ws });
      const file = dbFileOf(storeDir, ws);
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      expect((await ok(conn.client, 'list_tasks', { workspace_path: ws })).total_count).toBe(0);
      expect(existsSync(file)).toBe(false);
      const t = await ok(conn.client, 'create_task', { title: 'new', workspace_path: ws });
      expect(t.id).toBe(1);
      expect(existsSync(file)).toBe(true);
      const check = new Database(file, { readonly: true });
      expect(check.prepare('SELECT title FROM tasks').pluck().all()).toEqual(['new']);
      check.close();
      expect((await ok(conn.client, 'list_tasks', { workspace_path: ws })).items.map((x: any) => x.title)).toEqual(['new']);
    } finally {
      await conn.close();
    }
  });

  it('notice a replaced database file and read the replacement', async () => {
    const storeDir = path.join(home.dir, 'replaced');
    const ws = path.join(home.dir, 'replaced-ws');
    const conn = await connectInMemory({ home: storeDir });
    try {
      await ok(conn.client, 'create_task', { title: 'original', workspace_path: ws });
      // a restore from backup: another database file renamed into place, the old WAL files removed
      const file = dbFileOf(storeDir, ws);
      const backup = new Database(`${file}.restore`);
      initProjectSchema(backup);
      backup.prepare("INSERT INTO tasks (title, status, created_at, updated_at) VALUES ('restored', 'todo', '2025-01-01T00:00:00.000000', '2025-01-01T00:00:00.000000')").run();
      backup.close();
      for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      renameSync(`${file}.restore`, file);
      expect((await ok(conn.client, 'list_tasks', { workspace_path: ws })).items.map((x: any) => x.title)).toEqual(['restored']);
      await ok(conn.client, 'create_task', { title: 'after restore', workspace_path: ws });
      const check = new Database(file, { readonly: true });
      expect(check.prepare('SELECT title FROM tasks ORDER BY id').pluck().all()).toEqual(['restored', 'after restore']);
      check.close();
    } finally {
      await conn.close();
    }
  });

  const chattrWorks = (() => {
    try {
      const probe = path.join(home?.dir ?? '/tmp', `.chattr-probe-${process.pid}`);
      execFileSync('touch', [probe]);
      execFileSync('chattr', ['+i', probe], { stdio: 'ignore' });
      execFileSync('chattr', ['-i', probe], { stdio: 'ignore' });
      rmSync(probe);
      return true;
    } catch {
      return false;
    }
  })();

  // Needs root on a filesystem with immutable files (chattr): a read-only database even for root.
  it.skipIf(!chattrWorks)('reopen after a file fault: a read-only database accepts writes again once writable', async () => {
    const storeDir = path.join(home.dir, 'readonly');
    const ws = path.join(home.dir, 'readonly-ws');
    const first = await connectInMemory({ home: storeDir });
    await ok(first.client, 'create_task', { title: 'before', workspace_path: ws });
    await first.close();
    const file = dbFileOf(storeDir, ws);
    execFileSync('chattr', ['+i', file]);
    const conn = await connectInMemory({ home: storeDir });
    try {
      expect((await ok(conn.client, 'list_tasks', { workspace_path: ws })).total_count).toBe(1);
      expect(await err(conn.client, 'create_task', { title: 'refused', workspace_path: ws })).toBe(
        "Error calling tool 'create_task': attempt to write a readonly database");
      execFileSync('chattr', ['-i', file]);
      expect(await ok(conn.client, 'create_task', { title: 'after', workspace_path: ws })).toMatchObject({ title: 'after' });
      expect((await ok(conn.client, 'list_tasks', { workspace_path: ws })).total_count).toBe(2);
    } finally {
      execFileSync('chattr', ['-i', file]);
      await conn.close();
    }
  });
});
