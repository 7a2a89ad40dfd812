/** The read cache: it serves hits, TTL 0 turns it off, and a client always reads its own writes. */
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, type Harness, startHarness } from '../helpers/api-harness.js';
import { waitFor } from '../helpers/processes.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function project(harness: Harness, name: string): Promise<string> {
  const ws = `${harness.tmp}/ws/${name}`;
  await harness.call('create_task', { workspace_path: ws, title: `${name} seed`, tags: 'seed' });
  await harness.runtime.services.resolver.refresh();
  return `project_id=${harness.runtime.services.resolver.projects().find((p) => p.workspace_path === ws)!.id}`;
}

describe('read cache', () => {
  it('serves repeated reads from the cache: whole answers, without a backend call', async () => {
    h = await startHarness({ CACHE_TTL_MS: '60000' });
    const q = await project(h, 'hits');
    const first = await h.get(`/api/v1/tasks?${q}`).expect(200);
    const { misses } = h.runtime.cache;
    const calls = async () => (await h!.runtime.metrics.toolCalls.get()).values.reduce((n, v) => n + v.value, 0);
    const before = await calls();
    for (let i = 0; i < 5; i++) expect((await h.get(`/api/v1/tasks?${q}`).expect(200)).body).toEqual(first.body);
    expect(h.runtime.cache.misses).toBe(misses);
    expect(await calls()).toBe(before);
    const metrics = await h.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/cache_requests_total\{result="answer"\} [5-9]/);
  });

  it('a client that only revalidates (If-None-Match) refills the cache: its next 304 is a ready answer', async () => {
    h = await startHarness({ CACHE_TTL_MS: '600000' });
    const q = await project(h, 'revalidate');
    const created = await h.request.post(`/api/v1/tasks?${q}`).set('X-API-Key', API_KEY).send({ title: 'watched' }).expect(201);
    const etag = created.headers.etag as string;
    // Another task's write invalidates the workspace; the watched task (and its ETag) is unchanged.
    await h.request.post(`/api/v1/tasks?${q}`).set('X-API-Key', API_KEY).send({ title: 'other' }).expect(201);
    const answers = async () => (await h!.runtime.metrics.cacheRequests.get()).values.find((v) => v.labels.result === 'answer')?.value ?? 0;
    const url = `/api/v1/tasks/${created.body.id}?${q}`;
    const before = await answers();
    await h.get(url).set('If-None-Match', etag).expect(304); // a miss: computed in full and stored
    expect(await answers()).toBe(before);
    const hit = await h.get(url).set('If-None-Match', etag).expect(304);
    expect(hit.headers.etag).toBe(etag);
    expect(await answers()).toBe(before + 1);
    expect((await h.get(url).expect(200)).headers.etag).toBe(etag);
  });

  it('TTL 0 disables it', async () => {
    h = await startHarness({ CACHE_TTL_MS: '0' });
    const q = await project(h, 'off');
    for (let i = 0; i < 3; i++) await h.get(`/api/v1/tasks?${q}`).expect(200);
    expect(h.runtime.cache.hits + h.runtime.cache.misses).toBe(0);
  });

  it('shows writes by other task-mcp clients once the TTL has passed', async () => {
    // A TTL long enough that the second read is surely within it, even on a loaded machine.
    h = await startHarness({ CACHE_TTL_MS: '5000' });
    const q = await project(h, 'external');
    const ws = `${h.tmp}/ws/external`;
    expect((await h.get(`/api/v1/tasks?${q}`)).body.total).toBe(1);
    await h.call('create_task', { workspace_path: ws, title: 'written around the service' }); // not through REST
    expect((await h.get(`/api/v1/tasks?${q}`)).body.total).toBe(1); // still cached
    await waitFor(async () => (await h!.get(`/api/v1/tasks?${q}`)).body.total === 2, 15_000, 'the external write after the TTL');
  });

  it('read-your-writes holds under concurrent readers with a long TTL', async () => {
    h = await startHarness({ CACHE_TTL_MS: '600000', MCP_POOL_SIZE: '3' });
    const q = await project(h, 'ryw');
    let stop = false;
    // Background readers keep the cache warm (and racing) the whole time.
    const readers = Array.from({ length: 4 }, async () => {
      while (!stop) {
        await h!.get(`/api/v1/tasks?${q}&limit=100`);
        await h!.get(`/api/v1/tasks/search?${q}&q=item`);
        await h!.get(`/api/v1/tags?${q}`);
      }
    });
    try {
      for (let i = 0; i < 8; i++) {
        const created = await h.request.post(`/api/v1/tasks?${q}`).set('X-API-Key', API_KEY).send({ title: `item ${i}`, tags: [`t${i}`] }).expect(201);
        const list = await h.get(`/api/v1/tasks?${q}&limit=100`).expect(200);
        expect(list.body.tasks.map((t: any) => t.id)).toContain(created.body.id);
        const search = await h.get(`/api/v1/tasks/search?${q}&q=item ${i}`).expect(200);
        expect(search.body.tasks.map((t: any) => t.id)).toContain(created.body.id);
        const tags = await h.get(`/api/v1/tags?${q}`).expect(200);
        expect(tags.body.tags.map((t: any) => t.tag)).toContain(`t${i}`);
        const project = await h.get(`/api/v1/projects/${q.split('=')[1]}`).expect(200);
        expect(project.body.stats.total_tasks).toBe(i + 2);

        await h.request.patch(`/api/v1/tasks/${created.body.id}?${q}`).set('X-API-Key', API_KEY).send({ title: `renamed ${i}` }).expect(200);
        expect((await h.get(`/api/v1/tasks/${created.body.id}?${q}`)).body.title).toBe(`renamed ${i}`);
        const afterRename = await h.get(`/api/v1/tasks/search?${q}&q=renamed ${i}`).expect(200);
        expect(afterRename.body.total).toBe(1);
      }
      const victim = (await h.get(`/api/v1/tasks/search?${q}&q=renamed 0`)).body.tasks[0].id;
      await h.request.delete(`/api/v1/tasks/${victim}?${q}`).set('X-API-Key', API_KEY).expect(204);
      expect((await h.get(`/api/v1/tasks?${q}&limit=100`)).body.tasks.map((t: any) => t.id)).not.toContain(victim);
      expect((await h.get(`/api/v1/projects/${q.split('=')[1]}`)).body.stats.total_tasks).toBe(8);
    } finally {
      stop = true;
      await Promise.all(readers);
    }
    expect(h.runtime.cache.hits).toBeGreaterThan(0);
  });
});
