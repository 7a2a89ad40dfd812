/** Project resolution: registry refresh on a miss, defaults, and no databases at arbitrary paths. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/api-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const databases = (home: string) => (existsSync(path.join(home, 'databases')) ? readdirSync(path.join(home, 'databases')).filter((f) => f.endsWith('.db')) : []);

describe('workspace resolver', () => {
  it('finds a project registered after start by refreshing on a miss', async () => {
    h = await startHarness();
    expect(h.runtime.services.resolver.projects()).toHaveLength(0);
    // Another MCP client (same store) registers a project behind the service's back.
    await h.call('create_task', { workspace_path: path.join(h.tmp, 'late'), title: 'late arrival' });
    const projects = (await h.call('list_projects', {})) as Array<{ id: string }>;
    const res = await h.get(`/api/v1/tasks?project_id=${projects[0]!.id}`).expect(200);
    expect(res.body.tasks[0].title).toBe('late arrival');
    expect(h.runtime.services.resolver.projects()).toHaveLength(1);
  });

  it('falls back to DEFAULT_PROJECT_ID, then DEFAULT_WORKSPACE_PATH', async () => {
    const workspace = '/srv/default-project';
    // task-mcp's project id: the first 8 hex digits of sha256(resolved path).
    const id = createHash('sha256').update(workspace).digest('hex').slice(0, 8);
    h = await startHarness({ DEFAULT_PROJECT_ID: id });
    await h.get('/api/v1/tasks').expect(404); // not registered yet
    await h.call('create_task', { workspace_path: workspace, title: 'in the default project' });
    const res = await h.get('/api/v1/tasks').expect(200);
    expect(res.body.tasks.map((t: any) => t.title)).toEqual(['in the default project']);
    expect(res.body.filters.project_id).toBe(id);
    await h.close();

    h = await startHarness({ DEFAULT_WORKSPACE_PATH: '/srv/default-ws' });
    await h.call('create_task', { workspace_path: '/srv/default-ws', title: 'default one' });
    const byPath = await h.get('/api/v1/tasks').expect(200);
    expect(byPath.body.tasks.map((t: any) => t.title)).toEqual(['default one']);
  });

  it('accepts workspace_path only for registered projects or allowed roots, creating nothing otherwise', async () => {
    const allowed = '/srv/allowed-root';
    h = await startHarness({ ALLOWED_WORKSPACE_ROOTS: allowed });
    const registered = path.join(h.tmp, 'registered');
    await h.call('create_task', { workspace_path: registered, title: 'known' });
    const before = databases(h.home);

    const known = await h.get(`/api/v1/tasks?workspace_path=${encodeURIComponent(registered + '/')}`).expect(200);
    expect(known.body.tasks[0].title).toBe('known');

    for (const hostile of ['/etc', path.join(h.tmp, 'elsewhere'), `${allowed}/../etc`, `${allowed}-sibling/x`, 'relative/path']) {
      const res = await h.get(`/api/v1/tasks?workspace_path=${encodeURIComponent(hostile)}`);
      expect([400, 403]).toContain(res.status);
      expect(res.body.status_code).toBe(res.status);
    }
    expect(databases(h.home)).toEqual(before);

    // Under an allowed root an unknown workspace reads as empty, and reading creates nothing.
    const inside = await h.get(`/api/v1/tasks?workspace_path=${encodeURIComponent(`${allowed}/team/app`)}`).expect(200);
    expect(inside.body.total).toBe(0);
    expect(databases(h.home)).toEqual(before);
  });

  it('resolves symlinked spellings of a registered workspace', async () => {
    h = await startHarness();
    const real = path.join(h.tmp, 'real-ws');
    mkdirSync(real);
    await h.call('create_task', { workspace_path: real, title: 'via real path' });
    const { symlinkSync } = await import('node:fs');
    symlinkSync(real, path.join(h.tmp, 'link-ws'));
    const res = await h.get(`/api/v1/tasks?workspace_path=${encodeURIComponent(path.join(h.tmp, 'link-ws'))}`).expect(200);
    expect(res.body.tasks[0].title).toBe('via real path');
  });
});
