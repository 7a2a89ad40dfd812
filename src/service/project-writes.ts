/** Write model for projects: `updateProject` (task-mcp's `set_project_name`). */
import type { ToolBackend } from './tool-backend.js';
import type { WorkspaceResolver } from './workspace-resolver.js';

export class ProjectWrites {
  constructor(
    private readonly backend: ToolBackend,
    private readonly resolver: WorkspaceResolver,
  ) {}

  async updateProject(projectId: string, friendlyName: string): Promise<void> {
    const project = await this.resolver.project(projectId);
    await this.backend.write('set_project_name', { workspace_path: project.workspace_path, friendly_name: friendlyName });
  }
}
