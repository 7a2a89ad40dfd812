/**
 * D.7: where a stdio call's time goes. Runs the stdio server under `node --cpu-prof`, drives list_tasks,
 * query_tasks and create_task, and prints the functions with the most self time per workload.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { tempHome } from '../../helpers/taskmcp-harness.js';
import { CURRENT_DIST, stdioSession, table } from './lib.js';
import { seedProject } from './seed.js';

let home: ReturnType<typeof tempHome>;
beforeAll(() => {
  home = tempHome('taskmcp-perf-profile-');
});
afterAll(() => home.cleanup());

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

function topSelf(file: string, n: number) {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const f = node.callFrame;
    const where = f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    const dt = prof.timeDeltas[i] ?? 0;
    total += dt;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([fn, us]) => ({ fn, share: `${((us / total) * 100).toFixed(1)} %` }));
}

it('profiles list_tasks, query_tasks and create_task over stdio', async () => {
  const store = path.join(home.dir, 'store');
  const ws = seedProject(store, home.dir, 'profile', { tasks: 10_000 });
  const workloads: Array<[string, (s: Awaited<ReturnType<typeof stdioSession>>, i: number) => Promise<unknown>]> = [
    ['list_tasks limit 50', (s) => s.call('list_tasks', { workspace_path: ws, limit: 50 })],
    ['query_tasks limit 50', (s) => s.call('query_tasks', { workspace_path: ws, limit: 50 })],
    ['create_task', (s, i) => s.call('create_task', { workspace_path: ws, title: `p${i}` })],
  ];
  for (const [label, run] of workloads) {
    const dir = path.join(home.dir, `prof-${label.replace(/\W+/g, '-')}`);
    mkdirSync(dir, { recursive: true });
    const s = await stdioSession(CURRENT_DIST, store, {}, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    for (let i = 0; i < 1500; i++) await run(s, i);
    await s.close();
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (file) table(`Self time, ${label} x1500 (stdio server)`, topSelf(path.join(dir, file), 15));
  }
});
