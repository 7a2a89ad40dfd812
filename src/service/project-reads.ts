/** Read model for projects: `listProjects`, `getProject`. */
import type { components } from '../../generated/openapi.js';
import { type Project, toPriorityCounts, toProject, toStatusCounts } from './adapter.js';
import type { Row, ToolBackend } from './tool-backend.js';
import type { WorkspaceResolver } from './workspace-resolver.js';

type ProjectDetail = components['schemas']['ProjectDetail'];

export class ProjectReads {
  constructor(
    private readonly backend: ToolBackend,
    private readonly resolver: WorkspaceResolver,
  ) {}

  async listProjects(): Promise<Project[]> {
    const rows = await this.backend.read('list_projects', {});
    return (Array.isArray(rows) ? rows : []).map((r) => toProject(r as Row));
  }

  async getProject(projectId: string, options: { fresh?: boolean } = {}): Promise<ProjectDetail> {
    const project = await this.resolver.project(projectId);
    const info = (await this.backend.read('get_project_info', { workspace_path: project.workspace_path }, options)) as Row;
    return {
      ...toProject({ ...project, ...info, created_at: info.created_at, last_accessed: info.last_accessed }),
      stats: {
        total_tasks: Number(info.total_tasks ?? 0),
        by_status: toStatusCounts(info.by_status),
        by_priority: toPriorityCounts(info.by_priority),
        blocked_count: Number(info.blocked_count ?? 0),
      },
    };
  }
}
