/**
 * Sorting and every filter of GET /api/v1/tasks (and the entity list), against seeded data, compared
 * with an independent computation written here from the stored rows — on the embedded server and on a
 * strict task-mcp (no extension tools: the service computes the same answers itself). Pagination is
 * checked to be stable for every sort key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/api-harness.js';

type Raw = Record<string, any>;

const STATUS_ORDER = ['todo', 'in_progress', 'blocked', 'done', 'cancelled', 'to_be_deleted'];
const PRIORITY_ORDER = ['low', 'medium', 'high'];
const KEYS = ['priority', 'status', 'created_at', 'updated_at', 'completed_at', 'title', 'id'];

/** The oracle's own reading of task-mcp rows. */
const tagsOf = (t: Raw): string[] => (t.tags ? String(t.tags).split(' ').filter(Boolean) : []);
const depsOf = (t: Raw): number[] => (t.depends_on ? JSON.parse(t.depends_on) : []);
const asciiFold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

function oracleSort(rows: Raw[], sort: string): Raw[] {
  const keys = sort.split(',');
  const value = (t: Raw, key: string) => {
    if (key === 'priority') return PRIORITY_ORDER.indexOf(t.priority ?? 'medium');
    if (key === 'status') return STATUS_ORDER.indexOf(t.status);
    if (key === 'title') return asciiFold(t.title);
    return t[key];
  };
  return [...rows].sort((a, b) => {
    for (const k of [...keys, ...(keys.some((x) => x.replace('-', '') === 'id') ? [] : ['id'])]) {
      const desc = k.startsWith('-');
      const key = k.replace('-', '');
      const [x, y] = [value(a, key), value(b, key)];
      if (x === y) continue;
      if (x === null || x === undefined) return 1; // missing values last, both directions
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * (desc ? -1 : 1);
    }
    return 0;
  });
}

async function seed(h: Harness, ws: string): Promise<void> {
  const create = async (args: Record<string, unknown>) => (await h.call('create_task', { workspace_path: ws, ...args })).id as number;
  const update = (task_id: number, args: Record<string, unknown>) => h.call('update_task', { workspace_path: ws, task_id, ...args });
  const priorities = ['low', 'medium', 'high'];
  const tagSets = ['api backend', 'backend', 'api', 'docs', '', 'backend api testing', 'apis'];
  const ids: number[] = [];
  for (let i = 0; i < 40; i++) {
    const id = await create({
      title: `${i % 3 === 0 ? 'Alpha' : i % 3 === 1 ? 'beta' : 'Gamma'} task ${String(i).padStart(2, '0')}`,
      description: i % 4 === 0 ? `needle ${i}` : null,
      priority: priorities[i % 3],
      tags: tagSets[i % tagSets.length],
      parent_task_id: i > 5 && i % 5 === 0 ? ids[1] : null,
      depends_on: i > 10 && i % 7 === 0 ? [ids[2], ids[3]] : null,
      created_by: i % 2 ? 'alice' : 'bob',
    });
    ids.push(id);
  }
  for (const [n, id] of ids.entries()) {
    if (n % 6 === 1) await update(id, { status: 'in_progress' });
    if (n % 6 === 2 && !(n > 10 && n % 7 === 0)) (await update(id, { status: 'in_progress' }), await update(id, { status: 'done' }));
    if (n % 6 === 3) await update(id, { status: 'cancelled' });
    if (n % 6 === 4) (await update(id, { status: 'in_progress' }), await update(id, { status: 'blocked', blocker_reason: 'waiting' }));
  }
  await h.call('delete_task', { workspace_path: ws, task_id: ids[39] });
}

for (const backend of ['embedded', 'strict'] as const) {
  describe(`task queries (${backend})`, () => {
    let h: Harness;
    let q: string;
    let all: Raw[];
    const byId = () => new Map(all.map((t) => [t.id, t]));
    const get = async (query: string) => (await h.get(`/api/v1/tasks?${q}&limit=100${query ? `&${query}` : ''}`).expect(200)).body;
    const ids = (body: { tasks: Array<{ id: number }> }) => body.tasks.map((t) => t.id);

    beforeAll(async () => {
      h = await startHarness(backend === 'strict' ? { TASK_MCP_STRICT: 'true', CACHE_TTL_MS: '0' } : { CACHE_TTL_MS: '0' });
      const ws = `${h.tmp}/ws/query`;
      await seed(h, ws);
      await h.runtime.services.resolver.refresh();
      q = `project_id=${h.runtime.services.resolver.projects().find((p) => p.workspace_path === ws)!.id}`;
      all = (await h.call('list_tasks', { workspace_path: ws, mode: 'details', limit: 1000 })).items;
    }, 120_000);
    afterAll(() => h?.close());

    it.each(KEYS.flatMap((k) => [k, `-${k}`]))('sort=%s orders like the oracle and pages stably', async (sort) => {
      const expected = oracleSort(all, sort).map((t) => t.id);
      expect(ids(await get(`sort=${sort}`))).toEqual(expected);
      const paged: number[] = [];
      for (let offset = 0; offset < expected.length; offset += 7) paged.push(...ids((await h.get(`/api/v1/tasks?${q}&sort=${sort}&limit=7&offset=${offset}`).expect(200)).body));
      expect(paged).toEqual(expected);
    });

    it('sorts by several keys, priority by rank', async () => {
      expect(ids(await get('sort=-priority,created_at'))).toEqual(oracleSort(all, '-priority,created_at').map((t) => t.id));
      expect(ids(await get('sort=status,-title'))).toEqual(oracleSort(all, 'status,-title').map((t) => t.id));
      expect((await get('')).sort).toBe('-created_at');
    });

    it('filters by several statuses and priorities at once', async () => {
      const body = await get('status=todo&status=blocked&priority=high&priority=low');
      const expected = all.filter((t) => ['todo', 'blocked'].includes(t.status) && ['high', 'low'].includes(t.priority));
      expect(new Set(ids(body))).toEqual(new Set(expected.map((t) => t.id)));
      expect(body.total).toBe(expected.length);
      expect(body.meta.filtered.total).toBe(expected.length);
      expect(body.meta.filtered.status_counts.todo).toBe(expected.filter((t) => t.status === 'todo').length);
      expect(body.meta.project.total).toBe(all.length);
      expect(body.meta.status_counts).toEqual(body.meta.project.status_counts);
    });

    it('tags match whole tags, all of them, in any order', async () => {
      const expected = all.filter((t) => tagsOf(t).includes('api') && tagsOf(t).includes('backend')).map((t) => t.id);
      expect(expected.length).toBeGreaterThan(2);
      expect(new Set(ids(await get('tag=backend&tag=api')))).toEqual(new Set(expected));
      expect(new Set(ids(await get('tags=api%20backend')))).toEqual(new Set(expected));
      // `api` is not `apis`.
      expect(ids(await get('tag=api')).every((id) => tagsOf(byId().get(id)!).includes('api'))).toBe(true);
    });

    it('q combines with the other filters (task-mcp LIKE semantics)', async () => {
      const like = (s: unknown) => typeof s === 'string' && asciiFold(s).includes('needle');
      const expected = all.filter((t) => (like(t.title) || like(t.description)) && t.created_by === 'bob').map((t) => t.id);
      expect(expected.length).toBeGreaterThan(1);
      expect(new Set(ids(await get('q=NEEDLE&created_by=bob')))).toEqual(new Set(expected));
      expect(ids(await get('q=ne_dle%25&created_by=bob')).length).toBe(expected.length);
    });

    it('ready, is_blocker and has_subtasks', async () => {
      const status = new Map(all.map((t) => [t.id, t.status]));
      const ready = all.filter((t) => t.status === 'todo' && depsOf(t).every((d) => (status.get(d) ?? 'done') === 'done')).map((t) => t.id);
      expect(new Set(ids(await get('ready=true')))).toEqual(new Set(ready));
      expect((await get('ready=false')).total).toBe(all.length - ready.length);
      const dependents = (id: number) => all.filter((t) => depsOf(t).includes(id));
      const blockers = all.filter((t) => !['done', 'cancelled'].includes(t.status) && dependents(t.id).length > 0).map((t) => t.id);
      expect(new Set(ids(await get('is_blocker=true')))).toEqual(new Set(blockers));
      const parents = all.filter((t) => all.some((c) => c.parent_task_id === t.id)).map((t) => t.id);
      expect(parents.length).toBeGreaterThan(0);
      expect(new Set(ids(await get('has_subtasks=true')))).toEqual(new Set(parents));
      const parent = (await get('has_subtasks=true')).tasks[0];
      expect(parent.subtask_count).toBe(all.filter((c) => c.parent_task_id === parent.id).length);
      expect(parent.subtask_done_count).toBe(all.filter((c) => c.parent_task_id === parent.id && c.status === 'done').length);
    });

    it('date filters cut at the given instant; a bad date is a clear 400', async () => {
      const sorted = oracleSort(all, 'created_at');
      const middle = (await h.get(`/api/v1/tasks/${sorted[20]!.id}?${q}`).expect(200)).body.created_at as string;
      const after = ids(await get(`created_after=${encodeURIComponent(middle)}`));
      const before = ids(await get(`created_before=${encodeURIComponent(middle)}`));
      expect(after.length + before.length).toBe(all.length - 1); // exclusive on both sides
      expect(new Set(after)).toEqual(new Set(sorted.slice(21).map((t) => t.id)));
      const since = await get(`updated_since=${encodeURIComponent(new Date(0).toISOString())}`);
      expect(since.sort).toBe('updated_at');
      expect(ids(since)).toEqual(oracleSort(all, 'updated_at').map((t) => t.id));
      const bad = await h.get(`/api/v1/tasks?${q}&created_after=yesterday`).expect(400);
      expect(bad.body.details[0].field).toBe('query.created_after');
    });

    it('next and blocked report how many qualify in all', async () => {
      const next = (await h.get(`/api/v1/tasks/next?${q}&limit=2`).expect(200)).body;
      expect(next.tasks).toHaveLength(2);
      expect(next.total).toBe((await get('ready=true')).total);
      const sorted = await h.get(`/api/v1/tasks?${q}&limit=100&ready=true&sort=-priority,created_at`);
      expect(sorted.status, JSON.stringify(sorted.body)).toBe(200);
      expect(ids(next)).toEqual(ids(sorted.body).slice(0, 2));
    });

    it('echoes the filters and refuses unknown ones', async () => {
      expect((await get('status=todo&tag=api&ready=true')).filters).toMatchObject({ status: ['todo'], tags: 'api', ready: true });
      await h.get(`/api/v1/tasks?${q}&colour=red`).expect(400);
      await h.get(`/api/v1/tasks?${q}&sort=size`).expect(400);
    });
  });
}
