/** Read model for projects: `listProjects` (with switcher counts), `getProject`. */
import type { Schemas } from '../contract.js';
import { toPriorityCounts, toProject, toProjectFields, toStatusCounts } from './adapter.js';
import type { Row, ToolBackend } from './tool-backend.js';
import type { WorkspaceResolver } from './workspace-resolver.js';

export class ProjectReads {
  constructor(
    private readonly backend: ToolBackend,
    private readonly resolver: WorkspaceResolver,
  ) {}

  async listProjects(): Promise<Schemas['Project'][]> {
    if (await this.backend.hasTool('list_project_summaries')) {
      const rows = await this.backend.read('list_project_summaries', {});
      return (Array.isArray(rows) ? (rows as Row[]) : []).map(toProject);
    }
    // Without the extension: one get_project_info per project (task-mcp has no cheaper way to count).
    const rows = await this.backend.read('list_projects', {});
    return Promise.all(
      (Array.isArray(rows) ? (rows as Row[]) : []).map(async (row) => {
        const info = (await this.backend.read('get_project_info', { workspace_path: row.workspace_path })) as Row;
        return toProject({ ...row, total_tasks: info.total_tasks, by_status: info.by_status });
      }),
    );
  }

  async getProject(projectId: string, options: { fresh?: boolean } = {}): Promise<Schemas['ProjectDetail']> {
    return (await this.detail(projectId, options)).detail;
  }

  /** The project as GET returns it, and the stored row it came from (for compare-and-set). */
  async detail(projectId: string, options: { fresh?: boolean } = {}): Promise<{ detail: Schemas['ProjectDetail']; stored: Row }> {
    const project = await this.resolver.project(projectId);
    const info = (await this.backend.read('get_project_info', { workspace_path: project.workspace_path }, options)) as Row;
    const detail = {
      ...toProjectFields({ ...info, id: project.id, workspace_path: project.workspace_path }),
      stats: {
        total_tasks: Number(info.total_tasks ?? 0),
        by_status: toStatusCounts(info.by_status),
        by_priority: toPriorityCounts(info.by_priority),
        blocked_count: Number(info.blocked_count ?? 0),
      },
    };
    return { detail, stored: info };
  }
}
