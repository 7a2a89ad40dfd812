/**
 * D.3 and D.4: read latency over stdio (the baseline build writes the registry on every read), and the
 * cost of the Python-compatible JSON encoder against JSON.stringify on a typical page.
 */
import path from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { compactJson } from '../../../src/taskmcp/pytext.js';
import { tempHome } from '../../helpers/taskmcp-harness.js';
import { builds, ms, stdioSession, table, time } from './lib.js';
import { seedProject } from './seed.js';

let home: ReturnType<typeof tempHome>;
beforeAll(() => {
  home = tempHome('taskmcp-perf-reads-');
});
afterAll(() => home.cleanup());

it('D.3 reads, before/after', async () => {
  const rows: Array<Record<string, string | number>> = [];
  const store = path.join(home.dir, 'store');
  const ws = seedProject(store, home.dir, 'reads', { tasks: 10_000 });
  for (const b of builds()) {
    const s = await stdioSession(b.dist, store);
    try {
      rows.push({ build: b.label, call: 'get_task', timing: ms(await time(300, (i) => s.call('get_task', { workspace_path: ws, task_id: 1 + (Math.abs(i) % 9000) }), 20)) });
      rows.push({ build: b.label, call: 'list_tasks limit 50', timing: ms(await time(200, () => s.call('list_tasks', { workspace_path: ws, limit: 50 }), 20)) });
      rows.push({ build: b.label, call: 'list_tasks limit 50 details', timing: ms(await time(200, () => s.call('list_tasks', { workspace_path: ws, limit: 50, mode: 'details' }), 20)) });
    } finally {
      await s.close();
    }
  }
  table('Reads at 10,000 tasks, stdio, sequential', rows);
});

it('D.4 result text: compactJson vs JSON.stringify', async () => {
  const store = path.join(home.dir, 'store');
  const { connectInMemory } = await import('../../../src/taskmcp/index.js');
  const c = await connectInMemory({ home: store });
  const ws = path.join(home.dir, 'reads');
  const r = await c.client.callTool({ name: 'list_tasks', arguments: { workspace_path: ws, limit: 100, mode: 'details' } });
  await c.close();
  const page = (r.structuredContent as { result: unknown }).result;
  const loop = (fn: () => string) => {
    for (let i = 0; i < 200; i++) fn();
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) fn();
    return ((performance.now() - t0) / 2000) * 1000;
  };
  const py = loop(() => compactJson(page));
  const js = loop(() => JSON.stringify(page));
  table('Encoding a 100-row details page (in-process)', [
    { encoder: 'compactJson (Python-compatible)', 'µs per page': py.toFixed(1), bytes: compactJson(page).length },
    { encoder: 'JSON.stringify', 'µs per page': js.toFixed(1), bytes: JSON.stringify(page).length, identical: String(compactJson(page) === JSON.stringify(page)) },
  ]);
});
