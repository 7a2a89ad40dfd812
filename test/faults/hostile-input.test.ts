/** Hostile inputs: 4xx or correct results, never a 500, never a file outside the store. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, type Harness, startHarness } from '../helpers/api-harness.js';

let h: Harness;
let q: string;
beforeAll(async () => {
  h = await startHarness({ ALLOWED_WORKSPACE_ROOTS: '/srv/allowed' });
  const ws = `${h.tmp}/ws/hostile`;
  await h.call('create_task', { workspace_path: ws, title: "Robert'); DROP TABLE tasks;--", description: '100% done_ish' });
  await h.call('create_task', { workspace_path: ws, title: 'Zoë 🙂 naïve café', tags: 'ünïcode' });
  await h.call('create_task', { workspace_path: ws, title: 'plain' });
  await h.runtime.services.resolver.refresh();
  q = `project_id=${h.runtime.services.resolver.projects()[0]!.id}`;
});
afterAll(() => h?.close());

const dbFiles = () => readdirSync(path.join(h.home, 'databases')).filter((f) => f.endsWith('.db')).sort();

describe('hostile input', () => {
  it('path traversal and odd workspace paths never open a database outside the rules', async () => {
    const before = dbFiles();
    const attempts = [
      '/srv/allowed/../../etc',
      '/srv/allowed/../secret',
      '/etc/passwd',
      '../../etc',
      '/srv/allowed\u0000/x',
      '~/x',
      '/srv/allowedx',
      '%2e%2e/%2e%2e/etc',
    ];
    for (const p of attempts) {
      const res = await h.get(`/api/v1/tasks?workspace_path=${encodeURIComponent(p)}`);
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.status, p).toBeLessThan(500);
    }
    expect(dbFiles()).toEqual(before);
    expect(existsSync('/srv/allowed')).toBe(false);
  });

  it('SQL metacharacters in search are just text (with task-mcp LIKE wildcards)', async () => {
    const sql = await h.get(`/api/v1/tasks/search?${q}&q=${encodeURIComponent("'); DROP TABLE tasks;--")}`);
    expect(sql.status).toBe(200);
    expect(sql.body.total).toBe(1);
    const pct = await h.get(`/api/v1/tasks/search?${q}&q=${encodeURIComponent('100%')}`).expect(200);
    expect(pct.body.total).toBe(1);
    expect((await h.get(`/api/v1/tasks?${q}`)).body.total).toBe(3);
    const quote = await h.get(`/api/v1/entities/search?${q}&q=${encodeURIComponent('"\\\'`')}`).expect(200);
    expect(quote.body.total).toBe(0);
  });

  it('unicode edge cases round-trip', async () => {
    const res = await h.get(`/api/v1/tasks/search?${q}&q=${encodeURIComponent('café')}`).expect(200);
    expect(res.body.tasks[0].title).toBe('Zoë 🙂 naïve café');
    expect(res.body.tasks[0].tags).toEqual(['ünïcode']);
    const created = await h.request
      .post(`/api/v1/tasks?${q}`)
      .set('X-API-Key', API_KEY)
      .send({ title: '\u202Eright-to-left \u0000 nul \uFEFF bom 𝔘𝔫𝔦', tags: ['ǅemo'] })
      .expect(201);
    const back = await h.get(`/api/v1/tasks/${created.body.id}?${q}`).expect(200);
    expect(back.body.title).toBe('\u202Eright-to-left \u0000 nul \uFEFF bom 𝔘𝔫𝔦');
    expect(back.body.tags).toEqual(['ǆemo']);
    const lone = await h.request.post(`/api/v1/tasks?${q}`).set('X-API-Key', API_KEY).set('Content-Type', 'application/json').send('{"title":"\\ud800"}');
    expect(lone.status).toBeLessThan(500);
  });

  it('absurd numbers and types are 400s', async () => {
    for (const url of [
      `/api/v1/tasks/99999999999999999999?${q}`,
      `/api/v1/tasks/-1?${q}`,
      `/api/v1/tasks/1.5?${q}`,
      `/api/v1/tasks?${q}&limit=1e3`,
      `/api/v1/tasks?${q}&offset=99999999999999`,
      `/api/v1/tasks?${q}&project_id=${'a'.repeat(8)}&project_id=${'b'.repeat(8)}`,
    ]) {
      const res = await h.get(url);
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(res.status, url).toBeLessThan(500);
    }
  });
});
