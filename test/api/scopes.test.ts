/**
 * Keys with scopes (API_KEY_SCOPES): read-only keys change nothing, project-bound keys see and touch
 * only their projects — on every route, events and export included — and each key can see its own
 * scopes at GET /api/v1/me.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, type Harness, startHarness } from '../helpers/api-harness.js';
import { openSse } from '../helpers/sse-client.js';
import { projectIdFor } from '../../src/taskmcp/paths.js';

const READER = 'reader-key-0123456789';
const TEAM = 'team-key-0123456789';
const idOf = (key: string) => `key_${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;

describe('key scopes', () => {
  let h: Harness;
  let alpha: string;
  let beta: string;
  const as = (key: string) => ({ get: (url: string) => h.request.get(url).set('X-API-Key', key), post: (url: string) => h.request.post(url).set('X-API-Key', key) });

  beforeAll(async () => {
    // Workspace paths need not exist (task-mcp accepts any absolute path); their ids follow from them.
    const root = `/tmp/tva-scopes-${process.pid}`;
    const paths = { alpha: `${root}/alpha`, beta: `${root}/beta` };
    [alpha, beta] = [projectIdFor(paths.alpha), projectIdFor(paths.beta)];
    h = await startHarness({
      API_KEYS: `${API_KEY},${READER},${TEAM}`,
      API_KEY_SCOPES: JSON.stringify({ [idOf(READER)]: { access: 'read' }, [idOf(TEAM)]: { access: 'read_write', projects: [alpha] } }),
      ALLOWED_WORKSPACE_ROOTS: root,
      CHANGE_POLL_MS: '100',
    });
    for (const [name, path] of Object.entries(paths)) await h.call('create_task', { workspace_path: path, title: `${name} task` });
    await h.runtime.services.resolver.refresh();
  }, 60_000);
  afterAll(() => h?.close());

  it('GET /api/v1/me shows each key its own scopes', async () => {
    expect((await as(API_KEY).get('/api/v1/me').expect(200)).body).toEqual({ key_id: idOf(API_KEY), access: 'read_write', project_ids: null });
    expect((await as(READER).get('/api/v1/me').expect(200)).body).toEqual({ key_id: idOf(READER), access: 'read', project_ids: null });
    expect((await as(TEAM).get('/api/v1/me').expect(200)).body).toEqual({ key_id: idOf(TEAM), access: 'read_write', project_ids: [alpha] });
  });

  it('a read-only key reads everything and changes nothing', async () => {
    await as(READER).get(`/api/v1/tasks?project_id=${beta}`).expect(200);
    const refused = await as(READER).post(`/api/v1/tasks?project_id=${alpha}`).send({ title: 'no' });
    expect(refused.status, JSON.stringify(refused.body)).toBe(403);
    expect(refused.body).toMatchObject({ error: 'read_only_key', status_code: 403 });
    await h.request.patch(`/api/v1/projects/${alpha}`).set('X-API-Key', READER).send({ friendly_name: 'x' }).expect(403);
    await h.request.delete(`/api/v1/tasks/1?project_id=${alpha}`).set('X-API-Key', READER).expect(403);
    await as(READER).post('/api/v1/projects').send({ workspace_path: `/tmp/tva-scopes-${process.pid}/gamma` }).expect(403);
    // A token for the event stream is not a change: a read-only key may have one.
    await as(READER).post('/api/v1/events/tokens').expect(201);
  });

  it('a project-bound key sees and touches only its projects', async () => {
    const list = (await as(TEAM).get('/api/v1/projects').expect(200)).body;
    expect(list.projects.map((p: { id: string }) => p.id)).toEqual([alpha]);
    await as(TEAM).get(`/api/v1/tasks?project_id=${alpha}`).expect(200);
    await as(TEAM).post(`/api/v1/tasks?project_id=${alpha}`).send({ title: 'ours' }).expect(201);
    for (const url of [`/api/v1/tasks?project_id=${beta}`, `/api/v1/projects/${beta}`, `/api/v1/tasks/export?project_id=${beta}`, `/api/v1/tags?project_id=${beta}`]) {
      const res = await as(TEAM).get(url).expect(403);
      expect(res.body.error).toBe('project_not_allowed');
    }
    await as(TEAM).post(`/api/v1/tasks?project_id=${beta}`).send({ title: 'theirs' }).expect(403);
    await as(TEAM).get(`/api/v1/tasks?workspace_path=${encodeURIComponent(`/tmp/tva-scopes-${process.pid}/beta`)}`).expect(403);
    await as(TEAM).post('/api/v1/projects').send({ workspace_path: `/tmp/tva-scopes-${process.pid}/delta` }).expect(403);
    await as(TEAM).get('/metrics').expect(403);
    await as(TEAM).get(`/api/v1/events?project_id=${beta}`).expect(403);
  });

  it('the event stream of a project-bound key carries only its projects', async () => {
    const base = await h.listen();
    const stream = await openSse(`${base}/api/v1/events`, { 'X-API-Key': TEAM });
    try {
      const other = await h.request.post(`/api/v1/tasks?project_id=${beta}`).set('X-API-Key', API_KEY).send({ title: 'beta, unseen' }).expect(201);
      const mine = await h.request.post(`/api/v1/tasks?project_id=${alpha}`).set('X-API-Key', API_KEY).send({ title: 'alpha, seen' }).expect(201);
      await stream.waitFor((e) => e.data?.task_id === mine.body.id && e.data.project_id === alpha, 3_000, 'the alpha event');
      expect(stream.events.some((e) => e.data?.project_id === beta || e.data?.task_id === other.body.id)).toBe(false);
    } finally {
      stream.close();
    }
  });
});
