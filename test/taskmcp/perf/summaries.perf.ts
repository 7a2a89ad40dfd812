/** C.5: list_project_summaries over 100 registered projects (stdio): the first call, then memoized calls. */
import path from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { tempHome } from '../../helpers/taskmcp-harness.js';
import { CURRENT_DIST, ms, stdioSession, table, time } from './lib.js';
import { seedProject } from './seed.js';

let home: ReturnType<typeof tempHome>;
beforeAll(() => {
  home = tempHome('taskmcp-perf-summaries-');
});
afterAll(() => home.cleanup());

it('100 projects', async () => {
  const store = path.join(home.dir, 'store');
  const spaces: string[] = [];
  for (let i = 0; i < 100; i++) spaces.push(seedProject(store, home.dir, `p${i}`, { tasks: 200 + i * 10, seed: i }));
  const s = await stdioSession(CURRENT_DIST, store);
  try {
    const t0 = performance.now();
    const first = await s.call('list_project_summaries', {});
    const firstMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 1100)); // past the racy window of the seeding writes
    await s.call('list_project_summaries', {});
    const warm = await time(30, () => s.call('list_project_summaries', {}), 2);
    await s.call('create_task', { workspace_path: spaces[0], title: 'one more' });
    const t1 = performance.now();
    await s.call('list_project_summaries', {});
    const afterWrite = performance.now() - t1;
    const list = await time(30, () => s.call('list_projects', {}), 2);
    table('list_project_summaries, 100 projects of 200-1,190 tasks (stdio)', [
      { call: 'first (counts every database)', timing: `${firstMs.toFixed(1)} ms`, projects: first.length },
      { call: 'memoized', timing: ms(warm), projects: first.length },
      { call: 'after one write (one project recounted, racy window)', timing: `${afterWrite.toFixed(1)} ms`, projects: first.length },
      { call: 'list_projects (for comparison)', timing: ms(list), projects: first.length },
    ]);
  } finally {
    await s.close();
  }
});
