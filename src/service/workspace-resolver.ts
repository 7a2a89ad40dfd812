/**
 * project_id (task-mcp's 8-hex-digit id) -> workspace path, from the master registry (`list_projects`).
 * Loaded at start and refreshed on a miss before answering 404. A raw workspace_path from a client is
 * accepted only for a registered project or under an allowed root, so clients cannot make the
 * backend open or create databases at arbitrary paths.
 */
import path from 'node:path';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import { resolveWorkspacePath } from '../taskmcp/paths.js';
import { type ProjectFields as Project, toProjectFields as toProject } from './adapter.js';

export interface ProjectSource {
  listProjects(): Promise<unknown>;
}

export interface ResolverOptions {
  defaultProjectId?: string;
  defaultWorkspacePath?: string;
  /** Resolved absolute roots under which unregistered workspace paths are allowed. */
  allowedRoots: string[];
}

export interface ProjectSelector {
  project_id?: string;
  workspace_path?: string;
}

export interface ResolvedWorkspace {
  workspacePath: string;
  /** Known when the workspace is registered. */
  projectId?: string;
}

export class WorkspaceResolver {
  private byId = new Map<string, Project>();
  private refreshing: Promise<void> | undefined;
  private readonly allowedRoots: string[];

  constructor(
    private readonly source: ProjectSource,
    private readonly options: ResolverOptions,
  ) {
    this.allowedRoots = options.allowedRoots.map((root) => resolveWorkspacePath(root));
  }

  /** Every registered project, as last loaded. */
  projects(): Project[] {
    return [...this.byId.values()];
  }

  /** Reloads the registry; concurrent callers share one `list_projects` call. */
  refresh(): Promise<void> {
    this.refreshing ??= this.source
      .listProjects()
      .then((rows) => {
        const projects = (Array.isArray(rows) ? rows : []).map((r) => toProject(r as Record<string, unknown>));
        this.byId = new Map(projects.map((p) => [p.id, p]));
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  async project(projectId: string): Promise<Project> {
    let project = this.byId.get(projectId);
    if (!project) {
      await this.refresh();
      project = this.byId.get(projectId);
    }
    if (!project) throw new NotFoundError(`Project ${projectId} not found`);
    return project;
  }

  /**
   * The workspace a selector names when that needs no lookup (a known project id, or the defaults);
   * undefined otherwise (the caller then takes the slow path, `resolve`).
   */
  resolveKnown(selector: ProjectSelector): ResolvedWorkspace | undefined {
    if (selector.workspace_path) return undefined;
    const id = selector.project_id ?? this.options.defaultProjectId;
    if (id) {
      const project = this.byId.get(id);
      return project ? { workspacePath: project.workspace_path, projectId: project.id } : undefined;
    }
    return this.options.defaultWorkspacePath ? { workspacePath: this.options.defaultWorkspacePath } : undefined;
  }

  async resolve(selector: ProjectSelector): Promise<ResolvedWorkspace> {
    if (selector.project_id) {
      const project = await this.project(selector.project_id);
      return { workspacePath: project.workspace_path, projectId: project.id };
    }
    if (selector.workspace_path) return this.checkRawPath(selector.workspace_path);
    if (this.options.defaultProjectId) {
      const project = await this.project(this.options.defaultProjectId);
      return { workspacePath: project.workspace_path, projectId: project.id };
    }
    // Configured by the operator, so trusted as given.
    if (this.options.defaultWorkspacePath) return { workspacePath: this.options.defaultWorkspacePath };
    throw new InvalidInputError(
      'No project given: pass project_id (see GET /api/v1/projects) or configure DEFAULT_PROJECT_ID on the server',
      [{ field: 'query.project_id', message: 'required when the server has no default project' }],
    );
  }

  private async checkRawPath(raw: string): Promise<ResolvedWorkspace> {
    if (!path.isAbsolute(raw) || raw.includes('\0')) {
      throw new InvalidInputError('workspace_path must be an absolute path', [{ field: 'query.workspace_path', message: 'must be absolute' }]);
    }
    const resolved = resolveWorkspacePath(raw);
    const registered = () => this.projects().find((p) => p.workspace_path === resolved);
    let project = registered();
    if (!project && !this.isUnderAllowedRoot(resolved)) {
      await this.refresh();
      project = registered();
    }
    if (project) return { workspacePath: project.workspace_path, projectId: project.id };
    if (this.isUnderAllowedRoot(resolved)) return { workspacePath: resolved };
    throw new ForbiddenError(
      `workspace_path ${resolved} is neither a registered project nor under one of the server's ALLOWED_WORKSPACE_ROOTS` +
        (this.allowedRoots.length ? ` (${this.allowedRoots.join(', ')})` : ' (none are set)'),
    );
  }

  private isUnderAllowedRoot(resolved: string): boolean {
    return this.allowedRoots.some((root) => resolved === root || resolved.startsWith(root.endsWith('/') ? root : `${root}/`));
  }
}
