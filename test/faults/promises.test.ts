/**
 * The promises the README makes, held under attack and faults (real processes, bounded loads):
 * an Idempotency-Key never runs a write twice while children are killed and frozen; If-Match lets
 * exactly one of many concurrent updates win; records are bounded by bytes; oversized writes are
 * refused while lists keep working; one key's fan-out does not starve another; a deleted database file
 * loses no acknowledged write; a frozen child does not stall the other; a worst-case search is bounded.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore } from '../../src/cache/memory-store.js';
import { TimeoutError } from '../../src/domain/errors.js';
import { API_KEY, type Harness, startHarness } from '../helpers/api-harness.js';
import { freeze, releaseFrozen } from '../helpers/freeze.js';
import { waitFor } from '../helpers/processes.js';

let h: Harness | undefined;
afterEach(async () => {
  releaseFrozen();
  await h?.close();
  h = undefined;
});

async function project(harness: Harness, name: string): Promise<{ q: string; ws: string }> {
  const ws = `${harness.tmp}/ws/${name}`;
  await harness.call('create_task', { workspace_path: ws, title: `${name} seed` }, 30_000);
  await harness.runtime.services.resolver.refresh();
  return { ws, q: `project_id=${harness.runtime.services.resolver.projects().find((p) => p.workspace_path === ws)!.id}` };
}

const pids = (harness: Harness) => harness.runtime.pool.sessions().map((s) => s.pid!).filter(Boolean);

describe('Idempotency-Key under killed and frozen children', () => {
  it('a retrying client gets every task created exactly once', async () => {
    h = await startHarness({ MCP_POOL_SIZE: '2', MCP_CALL_TIMEOUT_MS: '3000', MCP_ACQUIRE_TIMEOUT_MS: '3000', CACHE_TTL_MS: '0' });
    const { q, ws } = await project(h, 'retries');
    const N = 10;
    let stop = false;
    // Faults while the client works: a child killed, or frozen until its calls time out.
    const chaos = (async () => {
      for (let i = 0; !stop; i++) {
        const live = pids(h!);
        const victim = live[i % Math.max(1, live.length)];
        if (victim) {
          if (i % 3 === 2) freeze(victim);
          else {
            try {
              process.kill(victim, 'SIGKILL');
            } catch {
              // gone already
            }
          }
        }
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    const answers: number[] = [];
    try {
      for (let i = 0; i < N; i++) {
        const key = `retry-${i}`;
        for (let attempt = 0; ; attempt++) {
          const res = await h.request.post(`/api/v1/tasks?${q}`).set('X-API-Key', API_KEY).set('Idempotency-Key', key).send({ title: `retried ${i}` });
          if (res.status === 201) {
            answers.push(res.body.id);
            break;
          }
          expect([409, 503, 504], JSON.stringify(res.body)).toContain(res.status);
          expect(attempt).toBeLessThan(200);
          await new Promise((r) => setTimeout(r, Math.min(1000, Number(res.headers['retry-after'] ?? 0) * 100 + 50)));
        }
      }
    } finally {
      stop = true;
      await chaos;
      releaseFrozen();
    }
    await waitFor(() => h!.runtime.pool.stats().live === 2, 15_000, 'the pool to recover');
    const stored = (await h.call('list_tasks', { workspace_path: ws, mode: 'summary', limit: 1000 }, 30_000)).items as Array<{ id: number; title: string }>;
    for (let i = 0; i < N; i++) expect(stored.filter((t) => t.title === `retried ${i}`), `task ${i}`).toHaveLength(1);
    expect(new Set(answers).size).toBe(N);
  }, 180_000);

  it('records are bounded by bytes, not only by count', () => {
    const store = new MemoryIdempotencyStore(100_000, 256 * 1024);
    const body = 'x'.repeat(40_000);
    for (let i = 0; i < 100; i++) void store.complete(`k${i}`, { fingerprint: 'f', status: 201, body, headers: {} }, 60_000);
    expect(store.bytes).toBeLessThanOrEqual(256 * 1024);
    expect(store.bytes).toBeGreaterThan(200 * 1024);
  });
});

/**
 * The answer of a keyed create lost after the write was sent: the write itself is real (it reaches the
 * embedded server and SQLite); only the answer is dropped at the gateway, as a timeout or a crashed
 * child drops it, because the instant between "applied" and "answered" cannot be hit on purpose.
 */
describe('Idempotency-Key when the answer of a create is lost', () => {
  function loseAnswerOf(harness: Harness, tool: string, applied: boolean): void {
    const gateway = harness.runtime.gateway;
    const call = gateway.call.bind(gateway);
    let armed = true;
    gateway.call = async (name, args, options) => {
      if (name !== tool || !armed) return call(name, args, options);
      armed = false;
      if (applied) await call(name, args, options);
      throw new TimeoutError(`${tool} timed out`, 'gateway_timeout', { settled: Promise.resolve() });
    };
  }

  const cases = [
    { what: 'task', tool: 'create_task', url: '/api/v1/tasks', body: { title: 'lost answer', description: 'd' } },
    { what: 'entity', tool: 'create_entity', url: '/api/v1/entities', body: { entity_type: 'other', name: 'lost answer', identifier: 'lost-1' } },
  ] as const;
  for (const c of cases) {
    for (const applied of [true, false]) {
      it(`${c.what}: the retry gets ${applied ? 'the row the lost attempt created' : 'a new row, since the lost attempt created none'}, and there is exactly one`, async () => {
        h = await startHarness({ CACHE_TTL_MS: '0' });
        const { q, ws } = await project(h, `lost-${c.what}-${applied}`);
        loseAnswerOf(h, c.tool, applied);
        const post = () => h!.request.post(`${c.url}?${q}`).set('X-API-Key', API_KEY).set('Idempotency-Key', `lost-${c.what}`).send(c.body);
        expect((await post()).status).toBe(504);
        let retried = await post();
        for (let i = 0; retried.status === 409 && i < 100; i++) {
          await new Promise((r) => setTimeout(r, 100));
          retried = await post();
        }
        expect(retried.status, JSON.stringify(retried.body)).toBe(201);
        const again = await post().expect(201);
        expect(again.body.id).toBe(retried.body.id);
        expect(again.headers['idempotent-replayed']).toBe('true');
        const rows = c.what === 'task'
          ? ((await h.call('list_tasks', { workspace_path: ws, mode: 'summary' })).items as Array<{ id: number; title: string }>)
          : ((await h.call('list_entities', { workspace_path: ws })).items as Array<{ id: number; name: string }>);
        const matching = rows.filter((r) => ('title' in r ? r.title : r.name) === 'lost answer');
        expect(matching.map((r) => r.id)).toEqual([retried.body.id]);
      }, 60_000);
    }
  }
});

describe('If-Match under concurrency', () => {
  for (const backend of ['embedded', 'strict'] as const) {
    it(`exactly one of 20 concurrent PATCHes with the same ETag wins (${backend})`, async () => {
      h = await startHarness(backend === 'strict' ? { TASK_MCP_STRICT: 'true', MCP_POOL_SIZE: '3', CACHE_TTL_MS: '0' } : { MCP_POOL_SIZE: '3', CACHE_TTL_MS: '0' });
      const { q } = await project(h, 'ifmatch');
      const task = await h.request.post(`/api/v1/tasks?${q}`).set('X-API-Key', API_KEY).send({ title: 'contended' }).expect(201);
      const etag = task.headers.etag as string;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          h!.request.patch(`/api/v1/tasks/${task.body.id}?${q}`).set('X-API-Key', API_KEY).set('If-Match', etag).send({ title: `writer ${i}` }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(19);
      const winner = results.find((r) => r.status === 200)!.body.title;
      expect((await h.get(`/api/v1/tasks/${task.body.id}?${q}`).expect(200)).body.title).toBe(winner);
      // The same holds for DELETE: a stale ETag is refused.
      await h.request.delete(`/api/v1/tasks/${task.body.id}?${q}`).set('X-API-Key', API_KEY).set('If-Match', etag).expect(412);
    }, 60_000);
  }
});

describe('bounded writes and reads', () => {
  it('an oversized write is refused, and a huge row stored by another client does not break the lists', async () => {
    h = await startHarness({ CACHE_TTL_MS: '0' });
    const { q, ws } = await project(h, 'sizes');
    const refs = Array.from({ length: 51 }, (_, i) => `src/file-${i}.ts`);
    const refused = await h.request.post(`/api/v1/tasks?${q}`).set('X-API-Key', API_KEY).send({ title: 'too many', file_references: refs }).expect(400);
    expect(refused.body.details[0].field).toContain('file_references');
    // Another MCP client (task-mcp has no limits) stores 240 KB of file references in one task.
    await h.call('create_task', { workspace_path: ws, title: 'huge', file_references: Array.from({ length: 240 }, (_, i) => `${'d'.repeat(990)}/${i}`) });
    for (const url of [`/api/v1/tasks?${q}&limit=100`, `/api/v1/tasks/search?${q}&q=huge`, `/api/v1/tasks/export?${q}&format=json`]) await h.get(url).expect(200);
  });

  it('GETs on many new workspaces create nothing', async () => {
    h = await startHarness({ ALLOWED_WORKSPACE_ROOTS: '/srv/spray' });
    const databases = () => (existsSync(path.join(h!.home, 'databases')) ? readdirSync(path.join(h!.home, 'databases')) : []);
    const before = databases().length;
    for (let i = 0; i < 100; i++) await h.get(`/api/v1/tasks?workspace_path=${encodeURIComponent(`/srv/spray/w${i}`)}`).expect(200);
    expect(databases()).toHaveLength(before);
    const projects = await h.call('list_projects', {});
    expect(projects.filter((p: { workspace_path: string }) => p.workspace_path.startsWith('/srv/spray'))).toEqual([]);
  });
});

describe('fairness', () => {
  it("one key's fan-out does not starve another key", async () => {
    h = await startHarness({ API_KEYS: `${API_KEY},fair-other-key-012345`, MCP_POOL_SIZE: '2', CACHE_TTL_MS: '0', MCP_MAX_WAITING_PER_KEY: '20' });
    const { q } = await project(h, 'fair');
    const ids: number[] = [];
    for (let i = 0; i < 50; i++) ids.push((await h.call('create_task', { workspace_path: `${h.tmp}/ws/fair`, title: `dep ${i}` })).id);
    let attack = true;
    // The attacker keeps 40 heavy writes in flight (each naming 50 dependencies).
    const attacker = Promise.all(
      Array.from({ length: 40 }, async () => {
        while (attack) await h!.request.post(`/api/v1/tasks?${q}`).set('X-API-Key', API_KEY).send({ title: 'heavy', depends_on: ids });
      }),
    );
    try {
      const victim = await Promise.all(Array.from({ length: 20 }, () => h!.request.get(`/api/v1/tasks?${q}&limit=5`).set('X-API-Key', 'fair-other-key-012345')));
      expect(victim.map((r) => r.status)).toEqual(Array(20).fill(200));
    } finally {
      attack = false;
      await attacker;
    }
  }, 120_000);
});

describe('store faults', () => {
  it('a deleted database file loses no acknowledged write', async () => {
    h = await startHarness({ CACHE_TTL_MS: '0' });
    const { q, ws } = await project(h, 'deleted');
    const dbFile = readdirSync(path.join(h.home, 'databases')).find((f) => f.endsWith('.db'))!;
    const acknowledged: string[] = [];
    for (let i = 0; i < 30; i++) {
      if (i === 10) for (const suffix of ['', '-wal', '-shm']) rmSync(path.join(h.home, 'databases', dbFile + suffix), { force: true });
      const res = await h.request.post(`/api/v1/tasks?${q}`).set('X-API-Key', API_KEY).send({ title: `kept ${i}` });
      if (res.status === 201) acknowledged.push(`kept ${i}`);
    }
    expect(acknowledged.length).toBeGreaterThan(15);
    const stored = (await h.call('list_tasks', { workspace_path: ws, mode: 'summary', limit: 1000 })).items.map((t: { title: string }) => t.title);
    for (const title of acknowledged.filter((t) => Number(t.split(' ')[1]) >= 10)) expect(stored).toContain(title);
  });

  it('a frozen child does not stall the other', async () => {
    h = await startHarness({ MCP_POOL_SIZE: '2', MCP_CALL_TIMEOUT_MS: '3000', CACHE_TTL_MS: '0' });
    const { q } = await project(h, 'frozen');
    // The next call goes to the first idle session: freeze its child, then send it a write.
    const a = h.runtime.pool.sessions()[0]!.pid!;
    freeze(a);
    // (supertest sends when its promise is used: `then` starts it now)
    const pending = h.request.post(`/api/v1/tasks?${q}`).set('X-API-Key', API_KEY).send({ title: 'held' }).then((r) => r);
    await waitFor(() => h!.runtime.pool.stats().busy >= 1, 5_000, 'the write to be held');
    const reads = [];
    for (let i = 0; i < 10; i++) reads.push((await h.get(`/api/v1/tasks?${q}&limit=5`)).status);
    expect(reads).toEqual(Array(10).fill(200));
    expect([503, 504]).toContain((await pending).status);
  }, 60_000);

  it('a worst-case search answers well within the call timeout', async () => {
    h = await startHarness({ MCP_CALL_TIMEOUT_MS: '5000', CACHE_TTL_MS: '0' });
    const { q, ws } = await project(h, 'search');
    const text = 'a'.repeat(9_999);
    for (let i = 0; i < 200; i++) await h.call('create_task', { workspace_path: ws, title: `t${i}`, description: text });
    const pattern = `${'a%'.repeat(8)}${'a'.repeat(180)}b`;
    const started = Date.now();
    await h.get(`/api/v1/tasks/search?${q}&q=${encodeURIComponent(pattern)}`).expect(200);
    await h.get(`/api/v1/tasks?${q}&q=${encodeURIComponent(pattern)}`).expect(200);
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 120_000);
});
