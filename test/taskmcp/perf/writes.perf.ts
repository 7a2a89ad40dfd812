/**
 * D.1, D.2, D.5: create_task cost in a git workspace (git root cached vs a `git` subprocess per create),
 * the dependents lookup right after a create at 10,000 tasks (patched vs rebuilt index), and concurrent
 * creates from 4 processes with synchronous=FULL vs NORMAL. Over stdio; before/after with a baseline build.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { tempHome } from '../../helpers/taskmcp-harness.js';
import { CURRENT_DIST, builds, ms, stdioSession, table, time } from './lib.js';
import { seedProject } from './seed.js';

let home: ReturnType<typeof tempHome>;
beforeAll(() => {
  home = tempHome('taskmcp-perf-writes-');
});
afterAll(() => home.cleanup());

it('D.1 create_task in a git workspace', async () => {
  const rows: Array<Record<string, string | number>> = [];
  const ws = path.join(home.dir, 'gitws');
  mkdirSync(ws, { recursive: true });
  execFileSync('git', ['init', '-q', ws]);
  for (const b of builds()) {
    const store = path.join(home.dir, `git-${b.label}`);
    const s = await stdioSession(b.dist, store);
    try {
      const t = await time(100, (i) => s.call('create_task', { workspace_path: ws, title: `t${i}` }), 5);
      const row = await s.call('create_task', { workspace_path: ws, title: 'check' });
      rows.push({ build: b.label, timing: ms(t), 'creates/s (sequential)': (1000 / t.mean).toFixed(0), git_root: JSON.parse(row.workspace_metadata).git_root === ws ? 'set' : 'missing' });
    } finally {
      await s.close();
    }
  }
  table('create_task, git workspace, sequential (stdio)', rows);
});

it('D.2 the dependents lookup right after a create, 10,000 tasks', async () => {
  const rows: Array<Record<string, string | number>> = [];
  for (const b of builds()) {
    const store = path.join(home.dir, `deps-${b.label}`);
    const ws = seedProject(store, home.dir, `deps-${b.label}`, { tasks: 10_000, dependsShare: 0.5 });
    const s = await stdioSession(b.dist, store);
    try {
      const ids = Array.from({ length: 50 }, (_, i) => 9950 + i);
      await s.call('get_task_dependents', { workspace_path: ws, task_ids: ids });
      let n = 0;
      const create = await time(60, () => s.call('create_task', { workspace_path: ws, title: `c${n++}`, depends_on: [1 + (n % 9000), 2 + (n % 9000)] }), 3);
      // each round: one create, then the lookup a list page makes (the measured part)
      const after = await time(60, async () => {
        await s.call('create_task', { workspace_path: ws, title: `d${n++}`, depends_on: [5] });
      }, 0);
      const lookups: number[] = [];
      for (let i = 0; i < 60; i++) {
        await s.call('create_task', { workspace_path: ws, title: `e${n++}`, depends_on: [7, 8] });
        const t0 = performance.now();
        await s.call('get_task_dependents', { workspace_path: ws, task_ids: ids });
        lookups.push(performance.now() - t0);
      }
      lookups.sort((x, y) => x - y);
      rows.push({ build: b.label, 'create_task': ms(create), 'get_task_dependents after a create p50 ms': lookups[30].toFixed(2), 'p90 ms': lookups[54].toFixed(2) });
      void after;
    } finally {
      await s.close();
    }
  }
  table('Writes at 10,000 tasks (half with depends_on), stdio', rows);
});

it('D.5 concurrent creates, 4 processes x 3 in flight, synchronous FULL vs NORMAL', async () => {
  const rows: Array<Record<string, string | number>> = [];
  for (const sync of ['FULL', 'NORMAL', 'FULL', 'NORMAL']) {
    const store = path.join(home.dir, `sync-${sync}-${rows.length}`);
    const ws = path.join(home.dir, `syncws-${rows.length}`);
    const sessions = await Promise.all(Array.from({ length: 4 }, () => stdioSession(CURRENT_DIST, store, { TASK_MCP_SYNCHRONOUS: sync })));
    try {
      await sessions[0].call('create_task', { workspace_path: ws, title: 'warm' });
      const perLane = 40;
      const t0 = performance.now();
      await Promise.all(sessions.flatMap((s, p) => Array.from({ length: 3 }, async (_, lane) => {
        for (let i = 0; i < perLane; i++) await s.call('create_task', { workspace_path: ws, title: `p${p}-${lane}-${i}` });
      })));
      const secs = (performance.now() - t0) / 1000;
      rows.push({ synchronous: sync, creates: 4 * 3 * perLane, seconds: secs.toFixed(2), 'creates/s': (4 * 3 * perLane / secs).toFixed(0) });
    } finally {
      await Promise.all(sessions.map((s) => s.close()));
    }
  }
  table('Concurrent create_task, WAL, 4 stdio processes', rows);
});
