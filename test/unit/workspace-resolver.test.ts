/** WorkspaceResolver against a fake project registry: ids, raw paths, allowed roots, defaults. */
import { describe, expect, it } from 'vitest';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../src/domain/errors.js';
import { WorkspaceResolver } from '../../src/service/workspace-resolver.js';

const row = (id: string, workspace_path: string) => ({ id, workspace_path, friendly_name: null, created_at: null, last_accessed: null });

function resolver(rows: Array<ReturnType<typeof row>>, options: Partial<ConstructorParameters<typeof WorkspaceResolver>[1]> = {}) {
  let calls = 0;
  const source = { listProjects: async () => (calls++, rows) };
  const r = new WorkspaceResolver(source, { allowedRoots: [], ...options });
  return { r, calls: () => calls };
}

describe('WorkspaceResolver', () => {
  it('resolves a project id, refreshing the registry once on a miss', async () => {
    const rows = [row('aaaaaaaa', '/srv/a')];
    const { r, calls } = resolver(rows);
    await r.refresh();
    expect(await r.resolve({ project_id: 'aaaaaaaa' })).toEqual({ workspacePath: '/srv/a', projectId: 'aaaaaaaa' });
    rows.push(row('bbbbbbbb', '/srv/b')); // registered meanwhile by another client
    expect(await r.resolve({ project_id: 'bbbbbbbb' })).toEqual({ workspacePath: '/srv/b', projectId: 'bbbbbbbb' });
    expect(calls()).toBe(2);
    await expect(r.resolve({ project_id: 'cccccccc' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('accepts a raw workspace_path only when registered or under an allowed root', async () => {
    const { r } = resolver([row('aaaaaaaa', '/srv/a')], { allowedRoots: ['/home/alice'] });
    expect(await r.resolve({ workspace_path: '/srv/a/' })).toEqual({ workspacePath: '/srv/a', projectId: 'aaaaaaaa' });
    expect(await r.resolve({ workspace_path: '/home/alice/new' })).toEqual({ workspacePath: '/home/alice/new' });
    await expect(r.resolve({ workspace_path: '/home/alicex' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(r.resolve({ workspace_path: '/etc' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(r.resolve({ workspace_path: 'relative/path' })).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('falls back to the configured default project, then the default path, else asks for one', async () => {
    expect(await resolver([row('aaaaaaaa', '/srv/a')], { defaultProjectId: 'aaaaaaaa' }).r.resolve({})).toEqual({ workspacePath: '/srv/a', projectId: 'aaaaaaaa' });
    expect(await resolver([], { defaultWorkspacePath: '/srv/d' }).r.resolve({})).toEqual({ workspacePath: '/srv/d' });
    await expect(resolver([]).r.resolve({})).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('concurrent refreshes share one registry call', async () => {
    const { r, calls } = resolver([row('aaaaaaaa', '/srv/a')]);
    await Promise.all([r.refresh(), r.refresh(), r.refresh()]);
    expect(calls()).toBe(1);
  });
});
