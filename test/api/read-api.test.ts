/** Every read endpoint against the real embedded server through the pool (stdio children). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/api-harness.js';
import { type Seeded, seedProject } from '../helpers/seed.js';

let h: Harness;
let s: Seeded;
let q: string;

beforeAll(async () => {
  h = await startHarness();
  s = await seedProject(h.call, h.tmp);
  q = `project_id=${s.projectId}`;
});
afterAll(() => h?.close());

const errorShape = (body: any, status: number) => {
  expect(body).toMatchObject({ status_code: status, error: expect.any(String), message: expect.any(String), request_id: expect.any(String) });
};

describe('health', () => {
  it('reports the pool without calling a tool', async () => {
    const res = await h.request.get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'healthy', mcp_connected: true, transport: 'embedded', pool: { size: 2, live: 2 } });
    expect(new Date(res.body.timestamp).toString()).not.toBe('Invalid Date');
  });
});

describe('projects', () => {
  it('lists every registered project', async () => {
    const res = await h.get('/api/v1/projects').expect(200);
    expect(res.body.total).toBe(2);
    const alpha = res.body.projects.find((p: any) => p.id === s.projectId);
    expect(alpha).toMatchObject({ workspace_path: s.workspace, friendly_name: 'Alpha' });
    expect(alpha.created_at).toMatch(/Z$/);
  });

  it('returns one project with stats including zero counts', async () => {
    const res = await h.get(`/api/v1/projects/${s.projectId}`).expect(200);
    expect(res.body).toMatchObject({ id: s.projectId, friendly_name: 'Alpha' });
    expect(res.body.stats).toEqual({
      total_tasks: 6,
      by_status: { todo: 4, in_progress: 0, blocked: 1, done: 1, cancelled: 0, to_be_deleted: 0 },
      by_priority: { low: 1, medium: 3, high: 2 },
      blocked_count: 1,
    });
  });

  it('404s an unknown project and 400s a malformed id', async () => {
    errorShape((await h.get('/api/v1/projects/deadbeef').expect(404)).body, 404);
    const bad = await h.get('/api/v1/projects/NOT-AN-ID').expect(400);
    errorShape(bad.body, 400);
    expect(bad.body.details[0].field).toContain('project_id');
  });
});

describe('GET /api/v1/tasks', () => {
  it('returns typed tasks, newest first, with meta and blocker info', async () => {
    const res = await h.get(`/api/v1/tasks?${q}`).expect(200);
    expect(res.body.total).toBe(6);
    expect(res.body).toMatchObject({ limit: 50, offset: 0, filters: { project_id: s.projectId } });
    const ids = res.body.tasks.map((t: any) => t.id);
    expect(ids).toEqual([s.tasks.release, s.tasks.migrate, s.tasks.endpointTests, s.tasks.docs, s.tasks.implement, s.tasks.design]);
    const design = res.body.tasks.find((t: any) => t.id === s.tasks.design);
    expect(design).toMatchObject({ tags: ['backend', 'api'], priority: 'high', is_blocker: true, blocks_task_ids: [s.tasks.implement], depends_on: [] });
    const implement = res.body.tasks.find((t: any) => t.id === s.tasks.implement);
    expect(implement).toMatchObject({ depends_on: [s.tasks.design], file_references: ['src/api.ts'], is_blocker: false });
    expect(implement.workspace_metadata).toMatchObject({ workspace_path: s.workspace });
    expect(res.body.meta.status_counts).toMatchObject({ todo: 4, blocked: 1, done: 1 });
    expect(res.body.meta.priority_counts).toEqual({ low: 1, medium: 3, high: 2 });
  });

  it.each([
    ['status=blocked', ['migrate']],
    ['priority=high', ['migrate', 'design']],
    ['tag=backend', ['endpointTests', 'implement', 'design']],
    ['tag=backend&tag=api', ['design']],
    ['tags=docs', ['docs']],
    ['status=todo&priority=low', ['docs']],
  ] as const)('filters by %s', async (filter, names) => {
    const res = await h.get(`/api/v1/tasks?${q}&${filter}`).expect(200);
    expect(res.body.tasks.map((t: any) => t.id)).toEqual(names.map((n) => s.tasks[n]));
    expect(res.body.total).toBe(names.length);
  });

  it('filters by parent_task_id', async () => {
    const res = await h.get(`/api/v1/tasks?${q}&parent_task_id=${s.tasks.implement}`).expect(200);
    expect(res.body.tasks.map((t: any) => t.id)).toEqual([s.tasks.endpointTests]);
    expect(res.body.filters.parent_task_id).toBe(s.tasks.implement);
  });

  it('paginates: first page, last page, beyond the end', async () => {
    const first = await h.get(`/api/v1/tasks?${q}&limit=4&offset=0`).expect(200);
    expect(first.body.tasks).toHaveLength(4);
    const last = await h.get(`/api/v1/tasks?${q}&limit=4&offset=4`).expect(200);
    expect(last.body.tasks).toHaveLength(2);
    expect([...first.body.tasks, ...last.body.tasks].map((t: any) => t.id)).toHaveLength(6);
    const beyond = await h.get(`/api/v1/tasks?${q}&limit=4&offset=100`).expect(200);
    expect(beyond.body).toMatchObject({ tasks: [], total: 6, offset: 100 });
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'offset=-1', 'status=bogus', 'priority=urgent', 'parent_task_id=0', 'unknown=1'])(
    'rejects %s with 400 and field details',
    async (bad) => {
      const res = await h.get(`/api/v1/tasks?${q}&${bad}`).expect(400);
      errorShape(res.body, 400);
      expect(res.body.details.length).toBeGreaterThan(0);
    },
  );

  it('needs a project when the server has no default', async () => {
    const res = await h.get('/api/v1/tasks').expect(400);
    expect(res.body.message).toMatch(/project_id/);
  });

  it('404s an unknown project id', async () => {
    await h.get('/api/v1/tasks?project_id=0badc0de').expect(404);
  });

  it('reads the other project by its id', async () => {
    const res = await h.get(`/api/v1/tasks?project_id=${s.otherProjectId}`).expect(200);
    expect(res.body.tasks.map((t: any) => t.title)).toEqual(['Beta task']);
  });
});

describe('single task, tree, entities', () => {
  it('gets a task, 404 for deleted and missing ones', async () => {
    const res = await h.get(`/api/v1/tasks/${s.tasks.migrate}?${q}`).expect(200);
    expect(res.body).toMatchObject({ status: 'blocked', blocker_reason: 'waiting for DB access' });
    expect(res.body.entities).toBeUndefined();
    errorShape((await h.get(`/api/v1/tasks/${s.tasks.deleted}?${q}`).expect(404)).body, 404);
    await h.get(`/api/v1/tasks/99999?${q}`).expect(404);
    await h.get(`/api/v1/tasks/abc?${q}`).expect(400);
  });

  it('embeds linked entities with include=entities', async () => {
    const res = await h.get(`/api/v1/tasks/${s.tasks.design}?${q}&include=entities`).expect(200);
    expect(res.body.entities.map((e: any) => e.id)).toEqual([s.entities.apiFile]);
    expect(res.body.entities[0]).toMatchObject({ metadata: { language: 'ts' }, tags: ['backend'], link_created_at: expect.stringMatching(/Z$/) });
  });

  it('returns the subtree', async () => {
    const res = await h.get(`/api/v1/tasks/${s.tasks.implement}/tree?${q}`).expect(200);
    expect(res.body.id).toBe(s.tasks.implement);
    expect(res.body.subtasks.map((t: any) => t.id)).toEqual([s.tasks.endpointTests]);
    expect(res.body.subtasks[0].subtasks).toEqual([]);
    await h.get(`/api/v1/tasks/99999/tree?${q}`).expect(404);
  });

  it('returns a subtree larger than one MCP answer may be (7 subtasks of 10,000-character descriptions), whole', async () => {
    const ws = `${h.tmp}/ws/big-tree`;
    const description = 'd'.repeat(10_000);
    const root = (await h.call('create_task', { workspace_path: ws, title: 'big root', description })) as { id: number };
    const children: number[] = [];
    for (let i = 0; i < 7; i++) children.push(((await h.call('create_task', { workspace_path: ws, title: `child ${i}`, description, parent_task_id: root.id })) as { id: number }).id);
    const grandchild = (await h.call('create_task', { workspace_path: ws, title: 'grandchild', description, parent_task_id: children[6] })) as { id: number };
    await h.runtime.services.resolver.refresh();
    const project = h.runtime.services.resolver.projects().find((p) => p.workspace_path === ws)!;
    const res = await h.get(`/api/v1/tasks/${root.id}/tree?project_id=${project.id}`).expect(200);
    expect(res.body.subtasks.map((t: any) => t.id)).toEqual(children);
    expect(res.body.subtasks.every((t: any) => t.description === description)).toBe(true);
    expect(res.body.subtasks[6].subtasks.map((t: any) => t.id)).toEqual([grandchild.id]);
  });

  it('lists a task’s entities', async () => {
    const res = await h.get(`/api/v1/tasks/${s.tasks.docs}/entities?${q}`).expect(200);
    expect(res.body).toMatchObject({ total: 1, entities: [{ id: s.entities.specDoc, entity_type: 'other' }] });
    await h.get(`/api/v1/tasks/99999/entities?${q}`).expect(404);
  });
});

describe('search, next, blocked, tags', () => {
  it('searches title and description', async () => {
    const res = await h.get(`/api/v1/tasks/search?${q}&q=api`).expect(200);
    expect(res.body.tasks.map((t: any) => t.id).sort()).toEqual([s.tasks.design, s.tasks.implement].sort());
    expect(res.body).toMatchObject({ query: 'api', limit: 20, offset: 0, total: 2 });
    const byDescription = await h.get(`/api/v1/tasks/search?${q}&q=REST%20resources`).expect(200);
    expect(byDescription.body.tasks.map((t: any) => t.id)).toEqual([s.tasks.design]);
  });

  it('requires q', async () => {
    const res = await h.get(`/api/v1/tasks/search?${q}`).expect(400);
    expect(res.body.details[0].field).toContain('q');
  });

  it('lists tasks ready to start, by priority then age', async () => {
    const res = await h.get(`/api/v1/tasks/next?${q}`).expect(200);
    // implement waits for design; migrate is blocked; release is done.
    expect(res.body.tasks.map((t: any) => t.id)).toEqual([s.tasks.design, s.tasks.endpointTests, s.tasks.docs]);
    // `total` counts every ready task, not the page (a page of 1 still says 3 qualify).
    const one = await h.get(`/api/v1/tasks/next?${q}&limit=1`).expect(200);
    expect(one.body.tasks).toHaveLength(1);
    expect(one.body.total).toBe(3);
  });

  it('lists blocked tasks with their reason', async () => {
    const res = await h.get(`/api/v1/tasks/blocked?${q}`).expect(200);
    expect(res.body.tasks).toEqual([expect.objectContaining({ id: s.tasks.migrate, blocker_reason: 'waiting for DB access' })]);
  });

  it('counts tags, most used first then by name', async () => {
    const res = await h.get(`/api/v1/tags?${q}`).expect(200);
    expect(res.body.tags).toEqual([
      { tag: 'backend', count: 3 },
      { tag: 'api', count: 1 },
      { tag: 'docs', count: 1 },
      { tag: 'testing', count: 1 },
    ]);
  });
});

describe('entities', () => {
  it('lists, filters and paginates entities', async () => {
    const all = await h.get(`/api/v1/entities?${q}`).expect(200);
    expect(all.body).toMatchObject({ total: 2, limit: 50, offset: 0 });
    expect(all.body.entities.map((e: any) => e.id)).toEqual([s.entities.specDoc, s.entities.apiFile]);
    const files = await h.get(`/api/v1/entities?${q}&entity_type=file`).expect(200);
    expect(files.body.entities.map((e: any) => e.id)).toEqual([s.entities.apiFile]);
    const tagged = await h.get(`/api/v1/entities?${q}&tag=backend`).expect(200);
    expect(tagged.body.total).toBe(1);
    const page = await h.get(`/api/v1/entities?${q}&limit=1&offset=1`).expect(200);
    expect(page.body.entities.map((e: any) => e.id)).toEqual([s.entities.apiFile]);
    await h.get(`/api/v1/entities?${q}&entity_type=folder`).expect(400);
  });

  it('searches name and identifier', async () => {
    const res = await h.get(`/api/v1/entities/search?${q}&q=SPEC`).expect(200);
    expect(res.body.entities.map((e: any) => e.id)).toEqual([s.entities.specDoc]);
    await h.get(`/api/v1/entities/search?${q}`).expect(400);
  });

  it('counts entities by type', async () => {
    const res = await h.get(`/api/v1/entities/stats?${q}`).expect(200);
    expect(res.body).toMatchObject({ total: 2, by_type: { file: 1, other: 1 } });
    expect(res.body.top_tags).toEqual(res.body.tags.slice(0, 10));
    expect(res.body.tags).toEqual([...res.body.tags].sort((a: any, b: any) => b.count - a.count || (a.tag < b.tag ? -1 : 1)));
  });

  it('gets one entity and its tasks', async () => {
    const one = await h.get(`/api/v1/entities/${s.entities.apiFile}?${q}`).expect(200);
    expect(one.body).toMatchObject({ name: 'API module', identifier: 'src/api.ts', metadata: { language: 'ts' } });
    const tasks = await h.get(`/api/v1/entities/${s.entities.apiFile}/tasks?${q}`).expect(200);
    expect(tasks.body.tasks.map((t: any) => t.id)).toEqual([s.tasks.implement, s.tasks.design]);
    expect(tasks.body.total).toBe(2);
    const high = await h.get(`/api/v1/entities/${s.entities.apiFile}/tasks?${q}&priority=high`).expect(200);
    expect(high.body.tasks.map((t: any) => t.id)).toEqual([s.tasks.design]);
    await h.get(`/api/v1/entities/999/tasks?${q}`).expect(404);
    await h.get(`/api/v1/entities/999?${q}`).expect(404);
  });
});

describe('errors', () => {
  it('404s unknown routes in the error format', async () => {
    const res = await h.get('/api/v1/nope').expect(404);
    errorShape(res.body, 404);
    await h.get('/nothing-here').expect(404);
  });

  it('echoes a well-formed X-Request-ID and replaces a malformed one', async () => {
    const ok = await h.get('/api/v1/projects/deadbeef').set('X-Request-ID', 'trace-123').expect(404);
    expect(ok.headers['x-request-id']).toBe('trace-123');
    expect(ok.body.request_id).toBe('trace-123');
    const bad = await h.get('/api/v1/projects').set('X-Request-ID', 'bad id with spaces').expect(200);
    expect(bad.headers['x-request-id']).not.toBe('bad id with spaces');
  });
});
