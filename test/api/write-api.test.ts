/** The write endpoints against the real embedded server: success, validation, 404/409/412, idempotency. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, type Harness, startHarness } from '../helpers/api-harness.js';
import { type Seeded, seedProject } from '../helpers/seed.js';

const SECOND_KEY = 'second-key-abcdef';
let h: Harness;
let s: Seeded;
let q: string;

beforeAll(async () => {
  h = await startHarness({ API_KEYS: `${API_KEY},${SECOND_KEY}` });
  s = await seedProject(h.call, h.tmp);
  q = `project_id=${s.projectId}`;
});
afterAll(() => h?.close());

const post = (url: string, body: unknown, key = API_KEY) => h.request.post(url).set('X-API-Key', key).send(body as object);
const patch = (url: string, body: unknown) => h.request.patch(url).set('X-API-Key', API_KEY).send(body as object);
const del = (url: string) => h.request.delete(url).set('X-API-Key', API_KEY);
const keyId = (key: string) => `key_${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;

describe('POST /api/v1/tasks', () => {
  it('creates a task: 201, Location, ETag, typed fields, created_by = key id', async () => {
    const res = await post(`/api/v1/tasks?${q}`, {
      title: 'New endpoint',
      description: 'Adds /things',
      priority: 'high',
      parent_task_id: s.tasks.implement,
      depends_on: [s.tasks.design],
      tags: ['Backend', 'API'],
      file_references: ['src/things.ts'],
    }).expect(201);
    expect(res.body).toMatchObject({
      title: 'New endpoint', status: 'todo', priority: 'high', parent_task_id: s.tasks.implement,
      depends_on: [s.tasks.design], tags: ['backend', 'api'], file_references: ['src/things.ts'],
      created_by: keyId(API_KEY), is_blocker: false, blocks_task_ids: [],
    });
    expect(res.headers.location).toBe(`/api/v1/tasks/${res.body.id}?project_id=${s.projectId}`);
    expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
    const fetched = await h.get(res.headers.location).expect(200);
    expect(fetched.body).toEqual(res.body);
    expect(fetched.headers.etag).toBe(res.headers.etag);
  });

  it.each([
    [{}, 'title'],
    [{ title: '' }, 'title'],
    [{ title: 'x'.repeat(501) }, 'title'],
    [{ title: 'ok', description: 'd'.repeat(10_001) }, 'description'],
    [{ title: 'ok', status: 'blocked' }, 'status'],
    [{ title: 'ok', priority: 'urgent' }, 'priority'],
    [{ title: 'ok', depends_on: ['a'] }, 'depends_on'],
    [{ title: 'ok', tags: 'backend' }, 'tags'],
    [{ title: 'ok', tags: ['two words'] }, 'tags'],
    [{ title: 'ok', created_by: 'me' }, 'created_by'],
    [{ title: 42 }, 'title'],
  ])('rejects %j with 400 naming %s', async (body, field) => {
    const res = await post(`/api/v1/tasks?${q}`, body).expect(400);
    expect(res.body).toMatchObject({ error: 'validation_error', status_code: 400 });
    expect(JSON.stringify(res.body.details)).toContain(field);
  });

  it('accepts exactly 500 code points of title (emoji count as one)', async () => {
    await post(`/api/v1/tasks?${q}`, { title: '🙂'.repeat(500) }).expect(201);
    await post(`/api/v1/tasks?${q}`, { title: '🙂'.repeat(501) }).expect(400);
  });

  it('409s a missing parent or dependency and creates nothing', async () => {
    const before = (await h.get(`/api/v1/tasks?${q}&limit=1`)).body.total;
    const parent = await post(`/api/v1/tasks?${q}`, { title: 'orphan', parent_task_id: 9999 }).expect(409);
    expect(parent.body.message).toContain('9999');
    await post(`/api/v1/tasks?${q}`, { title: 'orphan', depends_on: [s.tasks.design, 8888] }).expect(409);
    await post(`/api/v1/tasks?${q}`, { title: 'deleted parent', parent_task_id: s.tasks.deleted }).expect(409);
    expect((await h.get(`/api/v1/tasks?${q}&limit=1`)).body.total).toBe(before);
  });

  it('rejects malformed JSON and other content types in the error format', async () => {
    const bad = await h.request.post(`/api/v1/tasks?${q}`).set('X-API-Key', API_KEY).set('Content-Type', 'application/json').send('{"title": ');
    expect(bad.status).toBe(400);
    expect(bad.body.status_code).toBe(400);
    const text = await h.request.post(`/api/v1/tasks?${q}`).set('X-API-Key', API_KEY).set('Content-Type', 'text/plain').send('title');
    expect(text.status).toBe(415);
    expect(text.body.status_code).toBe(415);
  });

  it('404s an unknown project', async () => {
    await post('/api/v1/tasks?project_id=0badc0de', { title: 'x' }).expect(404);
  });
});

describe('PATCH and DELETE /api/v1/tasks/{id}', () => {
  const newTask = async (extra: object = {}) => (await post(`/api/v1/tasks?${q}`, { title: 'patch me', ...extra }).expect(201)).body;

  it('updates given fields only', async () => {
    const t = await newTask({ description: 'keep me', tags: ['a'] });
    const res = await patch(`/api/v1/tasks/${t.id}?${q}`, { title: 'patched', tags: ['b', 'c'] }).expect(200);
    expect(res.body).toMatchObject({ title: 'patched', description: 'keep me', tags: ['b', 'c'] });
    expect(res.headers.etag).toBeTruthy();
  });

  it('follows task-mcp transitions: 409 for invalid ones and open dependencies', async () => {
    const dep = await newTask();
    const t = await newTask({ depends_on: [dep.id] });
    const invalid = await patch(`/api/v1/tasks/${t.id}?${q}`, { status: 'done' }).expect(409);
    expect(invalid.body.message).toMatch(/Invalid status transition/);
    await patch(`/api/v1/tasks/${t.id}?${q}`, { status: 'in_progress' }).expect(200);
    const open = await patch(`/api/v1/tasks/${t.id}?${q}`, { status: 'done' }).expect(409);
    expect(open.body.message).toMatch(/dependency .* is not done/);
    await patch(`/api/v1/tasks/${dep.id}?${q}`, { status: 'in_progress' }).expect(200);
    await patch(`/api/v1/tasks/${dep.id}?${q}`, { status: 'done' }).expect(200);
    const done = await patch(`/api/v1/tasks/${t.id}?${q}`, { status: 'done' }).expect(200);
    expect(done.body.completed_at).toMatch(/Z$/);
  });

  it('needs blocker_reason to block', async () => {
    const t = await newTask();
    const res = await patch(`/api/v1/tasks/${t.id}?${q}`, { status: 'blocked' }).expect(400);
    expect(JSON.stringify(res.body.details)).toContain('blocker_reason');
    await patch(`/api/v1/tasks/${t.id}?${q}`, { status: 'blocked', blocker_reason: '   ' }).expect(400);
    const ok = await patch(`/api/v1/tasks/${t.id}?${q}`, { status: 'blocked', blocker_reason: 'vendor' }).expect(200);
    expect(ok.body).toMatchObject({ status: 'blocked', blocker_reason: 'vendor' });
  });

  it('refuses self-parenting, cycles, self-dependency and unknown references', async () => {
    const parent = await newTask();
    const child = await newTask({ parent_task_id: parent.id });
    await patch(`/api/v1/tasks/${parent.id}?${q}`, { parent_task_id: parent.id }).expect(409);
    await patch(`/api/v1/tasks/${parent.id}?${q}`, { parent_task_id: child.id }).expect(409);
    await patch(`/api/v1/tasks/${parent.id}?${q}`, { depends_on: [parent.id] }).expect(409);
    await patch(`/api/v1/tasks/${parent.id}?${q}`, { parent_task_id: 7777 }).expect(409);
    await h.get(`/api/v1/tasks/${parent.id}/tree?${q}`).expect(200);
  });

  it('400s an empty or unknown-field patch, 404s a missing task', async () => {
    const t = await newTask();
    await patch(`/api/v1/tasks/${t.id}?${q}`, {}).expect(400);
    await patch(`/api/v1/tasks/${t.id}?${q}`, { deleted_at: 'now' }).expect(400);
    await patch(`/api/v1/tasks/${t.id}?${q}`, { description: null }).expect(400);
    await patch(`/api/v1/tasks/99999?${q}`, { title: 'x' }).expect(404);
  });

  it('honours If-Match (412 on a stale ETag) and If-None-Match (304)', async () => {
    const t = await newTask();
    const first = await h.get(`/api/v1/tasks/${t.id}?${q}`).expect(200);
    const etag = first.headers.etag;
    const notModified = await h.get(`/api/v1/tasks/${t.id}?${q}`).set('If-None-Match', etag).expect(304);
    expect(notModified.headers.etag).toBe(etag);
    expect(notModified.text).toBe('');
    const updated = await patch(`/api/v1/tasks/${t.id}?${q}`, { title: 'v2' }).set('If-Match', etag).expect(200);
    expect(updated.headers.etag).not.toBe(etag);
    const stale = await patch(`/api/v1/tasks/${t.id}?${q}`, { title: 'v3' }).set('If-Match', etag).expect(412);
    expect(stale.body).toMatchObject({ error: 'precondition_failed', status_code: 412 });
    expect((await h.get(`/api/v1/tasks/${t.id}?${q}`)).body.title).toBe('v2');
    await h.get(`/api/v1/tasks/${t.id}?${q}`).set('If-None-Match', etag).expect(200);
    await del(`/api/v1/tasks/${t.id}?${q}`).set('If-Match', etag).expect(412);
    await del(`/api/v1/tasks/${t.id}?${q}`).set('If-Match', updated.headers.etag).expect(204);
  });

  it('soft-deletes (204), then 404; cascade takes direct subtasks', async () => {
    const parent = await newTask();
    const child = await newTask({ parent_task_id: parent.id });
    await del(`/api/v1/tasks/${parent.id}?${q}&cascade=true`).expect(204);
    await h.get(`/api/v1/tasks/${parent.id}?${q}`).expect(404);
    await h.get(`/api/v1/tasks/${child.id}?${q}`).expect(404);
    await del(`/api/v1/tasks/${parent.id}?${q}`).expect(404);
    await del(`/api/v1/tasks/${parent.id}?${q}&cascade=maybe`).expect(400);
  });
});

describe('entities and links', () => {
  it('creates, updates and deletes an entity', async () => {
    const created = await post(`/api/v1/entities?${q}`, { entity_type: 'file', name: 'Router', identifier: 'src/router.ts', tags: ['Web'], metadata: { lines: 120 } }).expect(201);
    expect(created.body).toMatchObject({ name: 'Router', tags: ['web'], metadata: { lines: 120 }, created_by: keyId(API_KEY), updated_by: null });
    expect(created.headers.location).toBe(`/api/v1/entities/${created.body.id}?project_id=${s.projectId}`);
    const id = created.body.id;
    const dup = await post(`/api/v1/entities?${q}`, { entity_type: 'file', name: 'Again', identifier: 'src/router.ts' }).expect(409);
    expect(dup.body.message).toMatch(/already exists/);
    await post(`/api/v1/entities?${q}`, { entity_type: 'other', name: 'Same id, other type', identifier: 'src/router.ts' }).expect(201);

    const etag = (await h.get(`/api/v1/entities/${id}?${q}`)).headers.etag;
    const updated = await patch(`/api/v1/entities/${id}?${q}`, { description: 'routes requests', metadata: 'plain string' }).set('If-Match', etag).expect(200);
    expect(updated.body).toMatchObject({ description: 'routes requests', metadata: 'plain string' });
    expect(updated.body.updated_by).toEqual(expect.any(String));
    await patch(`/api/v1/entities/${id}?${q}`, { name: 'stale' }).set('If-Match', etag).expect(412);
    await patch(`/api/v1/entities/${id}?${q}`, { entity_type: 'other' }).expect(400);

    await h.request.put(`/api/v1/tasks/${s.tasks.docs}/entities/${id}?${q}`).set('X-API-Key', API_KEY).expect(201);
    await del(`/api/v1/entities/${id}?${q}`).expect(204);
    await h.get(`/api/v1/entities/${id}?${q}`).expect(404);
    const links = await h.get(`/api/v1/tasks/${s.tasks.docs}/entities?${q}`).expect(200);
    expect(links.body.entities.map((e: any) => e.id)).not.toContain(id);
  });

  it.each([
    [42, 42],
    [true, true],
    [[1, 'two'], [1, 'two']],
    ['text', 'text'],
  ])('round-trips metadata %j', async (metadata, expected) => {
    const res = await post(`/api/v1/entities?${q}`, { entity_type: 'other', name: `meta ${JSON.stringify(metadata)}`, metadata }).expect(201);
    expect(res.body.metadata).toEqual(expected);
    expect((await h.get(`/api/v1/entities/${res.body.id}?${q}`)).body.metadata).toEqual(expected);
  });

  it('links idempotently: 201, then 200 with the same link', async () => {
    const e = (await post(`/api/v1/entities?${q}`, { entity_type: 'other', name: 'Linkable' }).expect(201)).body;
    const put = () => h.request.put(`/api/v1/tasks/${s.tasks.release}/entities/${e.id}?${q}`).set('X-API-Key', API_KEY);
    const first = await put().expect(201);
    expect(first.body).toMatchObject({ task_id: s.tasks.release, entity_id: e.id, created: true, link_created_by: keyId(API_KEY) });
    const again = await put().expect(200);
    expect(again.body).toMatchObject({ created: false, link_created_at: first.body.link_created_at });
    await h.request.put(`/api/v1/tasks/99999/entities/${e.id}?${q}`).set('X-API-Key', API_KEY).expect(404);
    await h.request.put(`/api/v1/tasks/${s.tasks.release}/entities/99999?${q}`).set('X-API-Key', API_KEY).expect(404);
  });

  it('entity validation', async () => {
    await post(`/api/v1/entities?${q}`, { entity_type: 'folder', name: 'x' }).expect(400);
    await post(`/api/v1/entities?${q}`, { entity_type: 'file' }).expect(400);
    await post(`/api/v1/entities?${q}`, { entity_type: 'file', name: 'x', identifier: 'i'.repeat(1001) }).expect(400);
    await post(`/api/v1/entities?${q}`, { entity_type: 'file', name: 'x', metadata: null }).expect(400);
  });
});

describe('PATCH /api/v1/projects/{id}', () => {
  it('renames a project, with If-Match', async () => {
    const before = await h.get(`/api/v1/projects/${s.otherProjectId}`).expect(200);
    const res = await patch(`/api/v1/projects/${s.otherProjectId}`, { friendly_name: 'Beta (renamed)' }).set('If-Match', before.headers.etag).expect(200);
    expect(res.body.friendly_name).toBe('Beta (renamed)');
    const list = await h.get('/api/v1/projects').expect(200);
    expect(list.body.projects.find((p: any) => p.id === s.otherProjectId).friendly_name).toBe('Beta (renamed)');
    await patch(`/api/v1/projects/${s.otherProjectId}`, { friendly_name: 'again' }).set('If-Match', before.headers.etag).expect(412);
    await patch('/api/v1/projects/0badc0de', { friendly_name: 'x' }).expect(404);
    await patch(`/api/v1/projects/${s.otherProjectId}`, {}).expect(400);
  });
});

describe('concurrency and idempotency', () => {
  it('50 concurrent creates through the pool make exactly 50 tasks', async () => {
    const ws = `${h.tmp}/ws/concurrent`;
    const enc = encodeURIComponent;
    await h.call('set_project_name', { workspace_path: ws, friendly_name: 'concurrent' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post(`/api/v1/tasks?workspace_path=${enc(ws)}`, { title: `task ${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(50);
    const list = await h.get(`/api/v1/tasks?workspace_path=${enc(ws)}&limit=100`).expect(200);
    expect(list.body.total).toBe(50);
  });

  it('the same POST retried 10 times concurrently with one Idempotency-Key creates one task', async () => {
    const ws = `${h.tmp}/ws/idempotent`;
    await h.call('set_project_name', { workspace_path: ws, friendly_name: 'idempotent' });
    const url = `/api/v1/tasks?workspace_path=${encodeURIComponent(ws)}`;
    const send = () => post(url, { title: 'pay invoice 42' }).set('Idempotency-Key', 'invoice-42');
    const results = await Promise.all(Array.from({ length: 10 }, send));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
    const later = await send().expect(201);
    expect(later.body.id).toBe(results[0]!.body.id);
    expect((await h.get(`${url}&limit=10`)).body.total).toBe(1);

    const reused = await post(url, { title: 'something else' }).set('Idempotency-Key', 'invoice-42').expect(422);
    expect(reused.body.error).toBe('idempotency_key_reused');
    // Keys are scoped per API key: another caller with the same key creates its own task.
    await post(url, { title: 'pay invoice 42' }, SECOND_KEY).set('Idempotency-Key', 'invoice-42').expect(201);
    expect((await h.get(`${url}&limit=10`)).body.total).toBe(2);
  });

  it('a failed create does not burn its Idempotency-Key', async () => {
    const send = (body: object) => post(`/api/v1/tasks?${q}`, body).set('Idempotency-Key', 'retry-after-fix');
    await send({ title: 'needs parent', parent_task_id: 4242 }).expect(409);
    await send({ title: 'needs parent', parent_task_id: 4242 }).expect(409);
  });
});
