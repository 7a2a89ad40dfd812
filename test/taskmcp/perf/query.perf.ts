/**
 * C.1: query_tasks page latency at 1,000 and 100,000 tasks over stdio, for the sorts the indexes serve,
 * with and without a status filter (limit 50, counts included; the database does not change between calls,
 * so whole-set counts come from the memo as in steady use). Target: p50 at 100k <= 1.5x p50 at 1k.
 */
import path from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { tempHome } from '../../helpers/taskmcp-harness.js';
import { CURRENT_DIST, stdioSession, table, time } from './lib.js';
import { seedProject } from './seed.js';

let home: ReturnType<typeof tempHome>;
beforeAll(() => {
  home = tempHome('taskmcp-perf-query-');
});
afterAll(() => home.cleanup());

const SORTS: Array<string[] | null> = [null, ['-priority', 'created_at'], ['-updated_at'], ['updated_at'], ['status'], ['title'], ['-title']];

it('sorted pages: 100k vs 1k', async () => {
  const store = path.join(home.dir, 'store');
  const small = seedProject(store, home.dir, 'q-1k', { tasks: 1000, seed: 1 });
  const large = seedProject(store, home.dir, 'q-100k', { tasks: 100_000, seed: 2 });
  const s = await stdioSession(CURRENT_DIST, store);
  const rows: Array<Record<string, string | number>> = [];
  try {
    for (const sort of SORTS) {
      for (const status of [null, ['todo']]) {
        const args = { ...(sort ? { sort } : {}), ...(status ? { status } : {}), limit: 50, offset: 0 };
        // interleaved, so both sizes see the same machine load
        const t1 = await time(40, () => s.call('query_tasks', { workspace_path: small, ...args }), 5);
        const t100 = await time(40, () => s.call('query_tasks', { workspace_path: large, ...args }), 5);
        const pairs: number[] = [];
        for (let i = 0; i < 40; i++) {
          const a0 = performance.now();
          await s.call('query_tasks', { workspace_path: small, ...args });
          const a1 = performance.now();
          await s.call('query_tasks', { workspace_path: large, ...args });
          pairs.push((performance.now() - a1) / (a1 - a0));
        }
        pairs.sort((x, y) => x - y);
        rows.push({
          sort: sort ? sort.join(',') : '(default -created_at)', status: status ? status.join(',') : '-',
          'p50 1k ms': t1.p50.toFixed(2), 'p50 100k ms': t100.p50.toFixed(2), 'ratio of p50s': (t100.p50 / t1.p50).toFixed(2),
          'median paired ratio': pairs[20].toFixed(2),
        });
      }
    }
    // the other query shapes the viewer uses, 100k only
    for (const [label, args] of [
      ['q=login, default sort', { q: 'login' }],
      ['tags=[api], -updated_at', { tags: ['api'], sort: ['-updated_at'] }],
      ['ready=true', { ready: true }],
      ['is_blocker=true', { is_blocker: true }],
      ['offset 5000', { offset: 5000 }],
      ['include_counts=false', { include_counts: false }],
    ] as Array<[string, Record<string, unknown>]>) {
      const t = await time(20, () => s.call('query_tasks', { workspace_path: large, limit: 50, ...args }), 3);
      rows.push({ sort: label, status: '-', 'p50 1k ms': '', 'p50 100k ms': t.p50.toFixed(2), 'ratio of p50s': '', 'median paired ratio': '' });
    }
  } finally {
    await s.close();
  }
  table('query_tasks, limit 50, stdio (memoized counts)', rows);
});
