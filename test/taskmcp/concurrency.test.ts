/**
 * Several server processes on the same files: 4 stdio children create and update tasks in one workspace
 * at once. Every acknowledged write must be present exactly once, with no error surfacing.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { projectIdFor } from '../../src/taskmcp/index.js';
import { type Session, callRaw, openStdio, tempHome } from '../helpers/taskmcp-harness.js';

const PROCS = 4;
const PER_PROC = 60;
let home: ReturnType<typeof tempHome>;
let sessions: Session[] = [];

beforeAll(async () => {
  home = tempHome('taskmcp-conc-');
  sessions = await Promise.all(Array.from({ length: PROCS }, () => openStdio(home.dir)));
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  home.cleanup();
});

it(`${PROCS} processes x ${PER_PROC} creates + updates on one workspace: no lost or duplicated writes`, async () => {
  const ws = path.join(home.dir, 'shared-ws');
  const failures: string[] = [];
  const created: Array<{ id: number; title: string }> = [];
  await Promise.all(
    sessions.map(async (s, p) => {
      // a few calls in flight per process, like the REST pool does
      const lanes = Array.from({ length: 3 }, async (_, lane) => {
        for (let i = lane; i < PER_PROC; i += 3) {
          const title = `p${p}-t${i}`;
          const r = await callRaw(s.client, 'create_task', { title, workspace_path: ws, tags: `proc${p}` });
          if (r.isError) {
            failures.push(r.content[0].text!);
            continue;
          }
          const row = JSON.parse(r.content[0].text!);
          created.push({ id: row.id, title });
          const u = await callRaw(s.client, 'update_task', { task_id: row.id, workspace_path: ws, status: 'in_progress', description: `by ${p}` });
          if (u.isError) failures.push(u.content[0].text!);
        }
      });
      await Promise.all(lanes);
    }),
  );
  expect(failures).toEqual([]);
  expect(created).toHaveLength(PROCS * PER_PROC);
  expect(new Set(created.map((c) => c.id)).size).toBe(PROCS * PER_PROC);

  const db = new Database(path.join(home.dir, 'databases', `project_${projectIdFor(ws)}.db`), { readonly: true });
  const rows = db.prepare('SELECT id, title, status, description FROM tasks').all() as any[];
  db.close();
  expect(rows).toHaveLength(PROCS * PER_PROC);
  const byTitle = new Map(rows.map((r) => [r.title, r]));
  expect(byTitle.size).toBe(PROCS * PER_PROC);
  for (const c of created) {
    const r = byTitle.get(c.title);
    expect(r.id).toBe(c.id);
    expect(r.status).toBe('in_progress');
    expect(r.description).toBe(`by ${c.title.slice(1, c.title.indexOf('-'))}`);
  }
  // the master registry has exactly one row for the workspace
  const master = new Database(path.join(home.dir, 'master.db'), { readonly: true });
  expect(master.prepare('SELECT COUNT(*) AS n FROM projects').get()).toEqual({ n: 1 });
  master.close();
}, 60_000);
