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
import { CURRENT_DIST, builds, stdioSession, table } from './lib.js';
import { seedProject } from './seed.js';

let home: ReturnType<typeof tempHome>;
beforeAll(() => {
  home = tempHome('taskmcp-perf-writes-');
});
afterAll(() => home.cleanup());

it('D.1 create_task in a git workspace, D.2 the dependents lookup after a create at 10,000 tasks', async () => {
  // Builds alternate call by call, so both see the same machine load.
  const ws = path.join(home.dir, 'gitws');
  mkdirSync(ws, { recursive: true });
  execFileSync('git', ['init', '-q', ws]);
  const sessions = await Promise.all(builds().map(async (b) => {
    const store = path.join(home.dir, `w-${b.label}`);
    const big = seedProject(store, home.dir, `deps-${b.label}`, { tasks: 10_000, dependsShare: 0.5 });
    return { b, big, s: await stdioSession(b.dist, store) };
  }));
  const samples = new Map<string, { git: number[]; bigCreate: number[]; lookup: number[] }>(sessions.map((x) => [x.b.label, { git: [], bigCreate: [], lookup: [] }]));
  const ids = Array.from({ length: 50 }, (_, i) => 9950 + i);
  try {
    for (const x of sessions) await x.s.call('get_task_dependents', { workspace_path: x.big, task_ids: ids });
    for (let i = 0; i < 80; i++) {
      for (const x of sessions) {
        const m = samples.get(x.b.label)!;
        let t0 = performance.now();
        await x.s.call('create_task', { workspace_path: ws, title: `t${i}` });
        m.git.push(performance.now() - t0);
        t0 = performance.now();
        await x.s.call('create_task', { workspace_path: x.big, title: `c${i}`, depends_on: [1 + i, 2 + i] });
        m.bigCreate.push(performance.now() - t0);
        t0 = performance.now();
        await x.s.call('get_task_dependents', { workspace_path: x.big, task_ids: ids });
        m.lookup.push(performance.now() - t0);
      }
    }
  } finally {
    await Promise.all(sessions.map((x) => x.s.close()));
  }
  const p = (a: number[], q: number) => [...a].sort((x, y) => x - y)[Math.floor(a.length * q)].toFixed(2);
  table('Writes over stdio (sequential, builds interleaved)', [...samples.entries()].map(([label, m]) => ({
    build: label,
    'create_task, git workspace p50/p90 ms': `${p(m.git, 0.5)} / ${p(m.git, 0.9)}`,
    'create_task, 10k tasks p50/p90 ms': `${p(m.bigCreate, 0.5)} / ${p(m.bigCreate, 0.9)}`,
    'get_task_dependents right after p50/p90 ms': `${p(m.lookup, 0.5)} / ${p(m.lookup, 0.9)}`,
  })));
});

it('D.5 concurrent creates, 4 processes x 3 in flight, synchronous FULL vs NORMAL', async () => {
  const rows: Array<Record<string, string | number>> = [];
  for (const sync of ['FULL', 'NORMAL', 'FULL', 'NORMAL', 'FULL', 'NORMAL']) {
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
