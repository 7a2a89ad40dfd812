/**
 * Write model for projects: `createProject` (register a workspace) and `updateProject` (its name, which
 * `null` clears), with atomic `If-Match` on the name.
 */
import type { Schemas } from '../contract.js';
import type { ChangeNotifier } from '../domain/changes.js';
import { etagOf } from '../domain/etag.js';
import type { ConditionalWrites } from './conditional-write.js';
import type { ProjectReads } from './project-reads.js';
import type { ToolBackend } from './tool-backend.js';
import type { WorkspaceResolver } from './workspace-resolver.js';

/** task-mcp bumps last_accessed on every read, so the ETag leaves it out. */
export function projectEtag({ last_accessed: _ignored, ...stable }: Schemas['ProjectDetail']): string {
  return etagOf(stable);
}

export class ProjectWrites {
  constructor(
    private readonly backend: ToolBackend,
    private readonly resolver: WorkspaceResolver,
    private readonly reads: ProjectReads,
    private readonly conditional: ConditionalWrites,
    private readonly notifier: ChangeNotifier,
  ) {}

  /** Registers a workspace the caller may name (the resolver checked the allowed roots); `created` is false when it existed. */
  async createProject(workspacePath: string, friendlyName: string | null | undefined): Promise<{ project: Schemas['ProjectDetail']; created: boolean }> {
    await this.resolver.refresh();
    const known = this.resolver.projects().find((p) => p.workspace_path === workspacePath);
    if (known) return { project: await this.reads.getProject(known.id, { fresh: true }), created: false };
    let created = true;
    if (await this.backend.hasTool('register_project')) {
      const result = (await this.backend.write('register_project', { workspace_path: workspacePath, friendly_name: friendlyName ?? null })) as { created?: boolean };
      created = result.created !== false;
    } else {
      // task-mcp registers a workspace on its first write; naming it is the write that changes least.
      await this.backend.write('set_project_name', { workspace_path: workspacePath, friendly_name: friendlyName ?? '' });
    }
    await this.resolver.refresh();
    const registered = this.resolver.projects().find((p) => p.workspace_path === workspacePath)!;
    const project = await this.reads.getProject(registered.id, { fresh: true });
    if (created) await this.announce('project.created', project, null);
    return { project, created };
  }

  private announce(type: 'project.created' | 'project.updated', project: Schemas['ProjectDetail'], changed: string[] | null): Promise<void> {
    return this.notifier.changed({ type, workspacePath: project.workspace_path, projectId: project.id, etag: projectEtag(project), changed, source: 'api', version: `name:${project.friendly_name ?? ''}` });
  }

  async updateProject(projectId: string, friendlyName: string | null, ifMatch?: string): Promise<Schemas['ProjectDetail']> {
    const project = await this.resolver.project(projectId);
    const current = async () => {
      const { detail, stored } = await this.reads.detail(projectId, { fresh: true });
      return { etag: projectEtag(detail), version: (stored.friendly_name as string | null) ?? null };
    };
    await this.conditional.run(`project:${projectId}`, ifMatch, 'update_project', current, async (version) => {
      if (await this.backend.hasTool('update_project')) {
        const check = version !== undefined;
        return this.backend.write('update_project', { workspace_path: project.workspace_path, friendly_name: friendlyName, expected_friendly_name: check ? version : null, check_expected: check });
      }
      // task-mcp cannot store NULL: an empty name means "no name" there (the folder name is shown).
      return this.backend.write('set_project_name', { workspace_path: project.workspace_path, friendly_name: friendlyName ?? '' });
    });
    const updated = await this.reads.getProject(projectId, { fresh: true });
    await this.announce('project.updated', updated, ['friendly_name']);
    return updated;
  }
}
