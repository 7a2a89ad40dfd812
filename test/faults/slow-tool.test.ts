/**
 * A backend that hangs (its child frozen with SIGSTOP): 504 at the call timeout, the session recycled,
 * the breaker opens, then closes after recovery.
 */
import { describe, expect, it } from 'vitest';
import { startHarness } from '../helpers/api-harness.js';
import { freeze, releaseFrozen } from '../helpers/freeze.js';
import { childPids, waitFor } from '../helpers/processes.js';

describe('slow MCP tool', () => {
  it('times out, recycles, opens the breaker fast-failing with Retry-After, and closes after recovery', async () => {
    const h = await startHarness({
      MCP_POOL_SIZE: '1',
      MCP_CALL_TIMEOUT_MS: '1000',
      CACHE_TTL_MS: '0',
      BREAKER_VOLUME_THRESHOLD: '3',
      BREAKER_ERROR_THRESHOLD_PERCENTAGE: '50',
      BREAKER_RESET_TIMEOUT_MS: '1500',
    });
    const live = () => h.runtime.pool.sessions()[0]?.pid;
    try {
      const first = live()!;
      freeze(first);
      const timedOut = await h.get('/api/v1/projects');
      expect(timedOut.status).toBe(504);
      await waitFor(() => h.runtime.pool.stats().live === 1 && live() !== first, 10_000, 'session recycled');

      // Keep failing (every fresh child frozen too) until the breaker has seen enough calls to open.
      for (let i = 0; i < 5 && h.runtime.breaker.state !== 'open'; i++) {
        await waitFor(() => live() !== undefined, 10_000, 'a session');
        freeze(live()!);
        await h.get('/api/v1/projects');
      }
      expect(h.runtime.breaker.state).toBe('open');
      const started = Date.now();
      const fast = await h.get('/api/v1/projects');
      // Fails at once instead of waiting for a session or the call timeout (1000 ms).
      expect(Date.now() - started).toBeLessThan(500);
      expect(fast.status).toBe(503);
      expect(Number(fast.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(fast.body.error).toBe('service_unavailable');
      await h.request.get('/health/ready').expect(503);
      const health = await h.request.get('/health');
      expect(health.body.circuit_breaker.state).toBe('open');

      // The backend recovers: the frozen children go, a fresh one answers; the half-open probe closes the circuit.
      releaseFrozen();
      for (const pid of childPids('stdio-main.js')) if (pid !== live()) process.kill(pid, 'SIGKILL');
      await waitFor(() => h.runtime.pool.stats().live === 1, 10_000, 'fresh child');
      await waitFor(async () => (await h.get('/api/v1/projects')).status === 200, 10_000, 'breaker closes');
      expect(h.runtime.breaker.state).toBe('closed');
      await h.request.get('/health/ready').expect(200);
    } finally {
      releaseFrozen();
      await h.close();
    }
  });

  it('tool errors (bad input, not found) never open the breaker', async () => {
    const h = await startHarness({ MCP_POOL_SIZE: '1', BREAKER_VOLUME_THRESHOLD: '2' });
    try {
      await h.call('create_task', { workspace_path: `${h.tmp}/ws/a`, title: 'x' });
      await h.runtime.services.resolver.refresh();
      const id = h.runtime.services.resolver.projects()[0]!.id;
      for (let i = 0; i < 10; i++) await h.get(`/api/v1/tasks/${9000 + i}?project_id=${id}`).expect(404);
      expect(h.runtime.breaker.state).toBe('closed');
      await h.get(`/api/v1/tasks?project_id=${id}`).expect(200);
    } finally {
      await h.close();
    }
  });
});
