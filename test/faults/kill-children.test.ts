/** Kill the MCP children repeatedly under concurrent load: nothing hangs, only honest 503s, full recovery, no lost acknowledged write. */
import { describe, expect, it } from 'vitest';
import { API_KEY, startHarness } from '../helpers/api-harness.js';
import { childPids, waitFor } from '../helpers/processes.js';

describe('children killed under load', () => {
  it('keeps answering, recovers, and loses no acknowledged write', async () => {
    const h = await startHarness({
      MCP_POOL_SIZE: '2',
      MCP_CALL_TIMEOUT_MS: '3000',
      REQUEST_TIMEOUT_MS: '5000',
      MCP_ACQUIRE_TIMEOUT_MS: '2000',
      BREAKER_RESET_TIMEOUT_MS: '500',
    });
    try {
      const ws = `${h.tmp}/ws/chaos`;
      await h.call('create_task', { workspace_path: ws, title: 'seed' });
      const q = `workspace_path=${encodeURIComponent(ws)}`;
      const acknowledged: number[] = [];
      const statuses = new Map<number, number>();
      let slowest = 0;
      let stop = false;

      const worker = async (n: number) => {
        for (let i = 0; !stop; i++) {
          const started = Date.now();
          const res =
            i % 2 === 0
              ? await h.request.post(`/api/v1/tasks?${q}`).set('X-API-Key', API_KEY).send({ title: `w${n}-${i}` })
              : await h.get(`/api/v1/tasks?${q}&limit=5`);
          slowest = Math.max(slowest, Date.now() - started);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 201) acknowledged.push(res.body.id);
          else if (res.status !== 200) {
            expect(res.status).toBe(503);
            expect(res.body).toMatchObject({ status_code: 503, error: expect.any(String), request_id: expect.any(String) });
          }
        }
      };
      const killer = async () => {
        for (let k = 0; k < 6; k++) {
          await new Promise((r) => setTimeout(r, 350));
          const pids = childPids('stdio-main.js');
          if (pids.length) process.kill(pids[k % pids.length]!, 'SIGKILL');
        }
        stop = true;
      };
      await Promise.all([killer(), ...Array.from({ length: 6 }, (_, n) => worker(n))]);

      expect(slowest).toBeLessThan(5_500);
      expect(statuses.get(201) ?? 0).toBeGreaterThan(10);
      // Recovery without intervention: full pool, closed breaker, requests succeed.
      await waitFor(() => h.runtime.pool.stats().live === 2, 10_000, 'pool refilled');
      await waitFor(async () => (await h.get(`/api/v1/tasks?${q}&limit=1`)).status === 200, 10_000, 'requests succeed again');
      expect(h.runtime.breaker.state).not.toBe('open');

      const all = (await h.call('list_tasks', { workspace_path: ws, limit: 1000 })) as { items: Array<{ id: number }> };
      const stored = new Set(all.items.map((t) => t.id));
      for (const id of acknowledged) expect(stored.has(id)).toBe(true);
      expect(new Set(acknowledged).size).toBe(acknowledged.length);
    } finally {
      await h.close();
    }
  });
});
