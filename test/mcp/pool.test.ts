/** The session pool with real stdio children of the embedded server. */
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/api-harness.js';
import { freeze, releaseFrozen, thaw } from '../helpers/freeze.js';
import { childPids, waitFor } from '../helpers/processes.js';

const CHILD = 'stdio-main.js';
let h: Harness | undefined;
afterEach(async () => {
  releaseFrozen();
  await h?.close();
  h = undefined;
});

describe('session pool', () => {
  it('opens MCP_POOL_SIZE children once and reuses them for every request', async () => {
    h = await startHarness({ MCP_POOL_SIZE: '3' });
    const before = childPids(CHILD);
    expect(before).toHaveLength(3);
    expect(h.runtime.pool.sessions().map((s) => s.pid).sort((a, b) => a! - b!)).toEqual(before);
    const results = await Promise.all(Array.from({ length: 60 }, () => h!.get('/api/v1/projects')));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(childPids(CHILD)).toEqual(before);
  });

  it('replaces a killed child and keeps answering', async () => {
    h = await startHarness({ MCP_POOL_SIZE: '2' });
    const [victim] = childPids(CHILD);
    process.kill(victim!, 'SIGKILL');
    // Requests in flight and right after the kill still succeed (reads retry once on another session).
    const results = await Promise.all(Array.from({ length: 20 }, () => h!.get('/api/v1/projects')));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    await waitFor(() => h!.runtime.pool.stats().live === 2 && !childPids(CHILD).includes(victim!), 10_000, 'replacement');
    expect(childPids(CHILD)).toHaveLength(2);
    await h.get('/api/v1/projects').expect(200);
  });

  it('queues more concurrent requests than sessions and completes them all', async () => {
    h = await startHarness({ MCP_POOL_SIZE: '1' });
    const results = await Promise.all(Array.from({ length: 30 }, () => h!.get('/api/v1/projects')));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(childPids(CHILD)).toHaveLength(1);
  });

  it('answers 503 with Retry-After when no session frees up in time', async () => {
    h = await startHarness({
      MCP_POOL_SIZE: '1',
      MCP_ACQUIRE_TIMEOUT_MS: '50',
      CACHE_TTL_MS: '0', // identical concurrent reads would otherwise share one call
    });
    // The only child frozen while it holds the only session: the next caller cannot get one.
    freeze(...childPids(CHILD));
    const slow = h.get('/api/v1/projects').then((r) => r);
    await waitFor(() => h!.runtime.pool.stats().busy === 1, 10_000, 'the session taken');
    const starved = await h.get('/api/v1/projects');
    thaw();
    expect((await slow).status).toBe(200);
    expect(starved.status).toBe(503);
    expect(starved.headers['retry-after']).toBe('1');
    expect(starved.body).toMatchObject({ error: 'service_unavailable', status_code: 503, retry_after: 1 });
  });

  it('a call that exceeds MCP_CALL_TIMEOUT_MS gets 504 and its session is recycled', async () => {
    // Generous for a loaded machine: only the frozen call may run past it.
    h = await startHarness({ MCP_POOL_SIZE: '1', MCP_CALL_TIMEOUT_MS: '2000' });
    const project = (await h.call('create_task', { workspace_path: `${h.tmp}/ws/slow`, title: 'x' })) as { id: number };
    expect(project.id).toBe(1);
    await h.runtime.services.resolver.refresh();
    const id = h.runtime.services.resolver.projects()[0]!.id;
    const [before] = childPids(CHILD);
    freeze(before!);
    const res = await h.get(`/api/v1/projects/${id}`);
    expect(res.status).toBe(504);
    expect(res.body.error).toBe('gateway_timeout');
    await waitFor(() => h!.runtime.pool.stats().live === 1 && childPids(CHILD)[0] !== before, 10_000, 'recycled session');
    await h.get('/api/v1/projects').expect(200);
  });
});
