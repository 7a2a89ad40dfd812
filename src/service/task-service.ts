/**
 * The operations behind the REST handlers, expressed in task-mcp tool calls. Reads go through
 * `read()` (cache-aside, scoped per workspace); writes go through `write()`, which invalidates the
 * workspace before returning. Pagination and filters are pushed down to task-mcp; whole-project
 * scans happen only as fallbacks for backends without our extension tools.
 */
import type { components } from '../../generated/openapi.js';
import {
  type Project,
  toEntity,
  toEnvelope,
  toLinkedEntity,
  toLinkedTask,
  toPriorityCounts,
  toProject,
  toStatusCounts,
  toTask,
  toTaskTree,
} from './adapter.js';
import type { Args, Row, ToolBackend } from './tool-backend.js';
import type { ProjectSelector, ResolvedWorkspace, WorkspaceResolver } from './workspace-resolver.js';

type Schemas = components['schemas'];
const PRIORITY_RANK: Record<string, number> = { high: 0, medium: 1, low: 2 };

export interface TagCount {
  tag: string;
  count: number;
}

export interface TaskFilters {
  status?: string;
  priority?: string;
  parent_task_id?: number;
  /** task-mcp's tag filter string (substring match on the normalised tag list). */
  tags?: string;
}

export class TaskService {
  constructor(
    private readonly backend: ToolBackend,
    readonly resolver: WorkspaceResolver,
  ) {}

  private read(tool: string, args: Args, options?: { fresh?: boolean }): Promise<unknown> {
    return this.backend.read(tool, args, options);
  }

  resolve(selector: ProjectSelector): Promise<ResolvedWorkspace> {
    return this.resolver.resolve(selector);
  }

  async listProjects(): Promise<Project[]> {
    const rows = await this.read('list_projects', {});
    return (Array.isArray(rows) ? rows : []).map((r) => toProject(r as Row));
  }

  async getProject(projectId: string, options: { fresh?: boolean } = {}): Promise<Schemas['ProjectDetail']> {
    const project = await this.resolver.project(projectId);
    const info = (await this.read('get_project_info', { workspace_path: project.workspace_path }, options)) as Row;
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

  async listTasks(ws: ResolvedWorkspace, filters: TaskFilters, limit: number, offset: number): Promise<Schemas['TaskList']> {
    const args: Args = { workspace_path: ws.workspacePath };
    if (filters.status) args.status = filters.status;
    if (filters.priority) args.priority = filters.priority;
    if (filters.parent_task_id !== undefined) args.parent_task_id = filters.parent_task_id;
    if (filters.tags) args.tags = filters.tags;

    const [page, info] = await Promise.all([
      this.backend.page('list_tasks', args, limit, offset),
      this.read('get_project_info', { workspace_path: ws.workspacePath }) as Promise<Row>,
    ]);
    return {
      tasks: await this.withDependents(ws, page.items),
      total: page.total,
      limit,
      offset,
      filters: { ...(ws.projectId ? { project_id: ws.projectId } : {}), ...filters } as Schemas['TaskList']['filters'],
      meta: { status_counts: toStatusCounts(info.by_status), priority_counts: toPriorityCounts(info.by_priority) },
    };
  }

  async searchTasks(ws: ResolvedWorkspace, q: string, limit: number, offset: number): Promise<Schemas['TaskSearchResult']> {
    const page = await this.backend.page('search_tasks', { workspace_path: ws.workspacePath, search_term: q }, limit, offset);
    return { tasks: await this.withDependents(ws, page.items), total: page.total, limit, offset, query: q };
  }

  async getTask(ws: ResolvedWorkspace, taskId: number, includeEntities: boolean): Promise<Schemas['TaskWithEntities']> {
    const args = { workspace_path: ws.workspacePath, task_id: taskId };
    // The entities are fetched in parallel and must not fail the task.
    const [row, entities] = await Promise.all([
      this.read('get_task', args) as Promise<Row>,
      includeEntities ? this.getTaskEntities(ws, taskId).then((e) => ({ entities: e }), (err: unknown) => ({ err })) : undefined,
    ]);
    const [task] = await this.withDependents(ws, [row]);
    if (!entities) return task!;
    if ('entities' in entities) return { ...task!, entities: entities.entities };
    return { ...task!, entities_error: entities.err instanceof Error ? entities.err.message : String(entities.err) };
  }

  async getTaskTree(ws: ResolvedWorkspace, taskId: number): Promise<Schemas['TaskTreeNode']> {
    const tree = (await this.read('get_task_tree', { workspace_path: ws.workspacePath, task_id: taskId, mode: 'details' })) as Row;
    return toTaskTree(tree);
  }

  async getTaskEntities(ws: ResolvedWorkspace, taskId: number): Promise<Schemas['LinkedEntity'][]> {
    const rows = await this.read('get_task_entities', { workspace_path: ws.workspacePath, task_id: taskId, mode: 'details' });
    return (Array.isArray(rows) ? rows : []).map((r) => toLinkedEntity(r as Row));
  }

  async nextTasks(ws: ResolvedWorkspace, limit: number): Promise<Schemas['TaskCollection']> {
    let rows: Row[];
    if (await this.backend.hasTool('get_next_tasks')) {
      rows = (await this.read('get_next_tasks', { workspace_path: ws.workspacePath, limit })) as Row[];
    } else {
      // Without the extension: the same rule computed from list_tasks (contract §7 / §12.4).
      const all = await this.backend.scan('list_tasks', { workspace_path: ws.workspacePath }, 'details');
      const statusById = new Map(all.map((t) => [Number(t.id), String(t.status)]));
      rows = all
        .filter((t) => t.status === 'todo')
        .filter((t) => toTask(t, []).depends_on.every((dep) => (statusById.get(dep) ?? 'done') === 'done'))
        .sort(
          (a, b) =>
            (PRIORITY_RANK[String(a.priority)] ?? 1) - (PRIORITY_RANK[String(b.priority)] ?? 1) ||
            String(a.created_at).localeCompare(String(b.created_at)) ||
            Number(a.id) - Number(b.id),
        )
        .slice(0, limit);
    }
    const tasks = await this.withDependents(ws, rows);
    return { tasks, total: tasks.length };
  }

  async blockedTasks(ws: ResolvedWorkspace, limit: number): Promise<Schemas['TaskCollection']> {
    let rows: Row[];
    if (await this.backend.hasTool('get_blocked_tasks')) {
      rows = (await this.read('get_blocked_tasks', { workspace_path: ws.workspacePath, limit })) as Row[];
    } else {
      rows = (await this.backend.page('list_tasks', { workspace_path: ws.workspacePath, status: 'blocked' }, limit, 0)).items;
    }
    const tasks = await this.withDependents(ws, rows);
    return { tasks, total: tasks.length };
  }

  async tags(ws: ResolvedWorkspace): Promise<TagCount[]> {
    if (await this.backend.hasTool('list_tags')) {
      const rows = (await this.read('list_tags', { workspace_path: ws.workspacePath })) as TagCount[];
      return rows.map((r) => ({ tag: String(r.tag), count: Number(r.count) }));
    }
    const counts = new Map<string, number>();
    for (const task of await this.backend.scan('list_tasks', { workspace_path: ws.workspacePath }, 'summary')) {
      for (const tag of toTask(task, []).tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    }
    return [...counts]
      .map(([tag, count]) => ({ tag, count }))
      .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  }

  async listEntities(ws: ResolvedWorkspace, entityType: string | undefined, tags: string | undefined, limit: number, offset: number): Promise<Schemas['EntityList']> {
    const args: Args = { workspace_path: ws.workspacePath };
    if (entityType) args.entity_type = entityType;
    if (tags) args.tags = tags;
    const page = await this.backend.page('list_entities', args, limit, offset);
    return { entities: page.items.map(toEntity), total: page.total, limit, offset };
  }

  async searchEntities(ws: ResolvedWorkspace, q: string, entityType: string | undefined, limit: number, offset: number): Promise<Schemas['EntityList']> {
    const args: Args = { workspace_path: ws.workspacePath, search_term: q };
    if (entityType) args.entity_type = entityType;
    const page = await this.backend.page('search_entities', args, limit, offset);
    return { entities: page.items.map(toEntity), total: page.total, limit, offset };
  }

  async entityStats(ws: ResolvedWorkspace): Promise<{ total: number; by_type: { file: number; other: number } }> {
    // Two counting calls (limit 1) instead of fetching entities: task-mcp reports total_count.
    const count = async (entity_type: string) =>
      toEnvelope(await this.read('list_entities', { workspace_path: ws.workspacePath, entity_type, limit: 1, mode: 'summary' })).total;
    const [file, other] = await Promise.all([count('file'), count('other')]);
    return { total: file + other, by_type: { file, other } };
  }

  async getEntity(ws: ResolvedWorkspace, entityId: number): Promise<Schemas['Entity']> {
    return toEntity((await this.read('get_entity', { workspace_path: ws.workspacePath, entity_id: entityId })) as Row);
  }

  async getEntityTasks(
    ws: ResolvedWorkspace,
    entityId: number,
    filters: { status?: string; priority?: string },
    limit: number,
    offset: number,
  ): Promise<{ tasks: Schemas['LinkedTask'][]; total: number; limit: number; offset: number }> {
    const args: Args = { workspace_path: ws.workspacePath, entity_id: entityId };
    if (filters.status) args.status = filters.status;
    if (filters.priority) args.priority = filters.priority;
    const page = await this.backend.page('get_entity_tasks', args, limit, offset);
    return { tasks: page.items.map(toLinkedTask), total: page.total, limit, offset };
  }

  /** Adds `blocks_task_ids` to task rows: one extension call, or a scan of the project without it. */
  async withDependents(ws: ResolvedWorkspace, rows: Row[]): Promise<Schemas['Task'][]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => Number(r.id));
    let dependents: Record<string, number[]>;
    if (await this.backend.hasTool('get_task_dependents')) {
      const result = (await this.read('get_task_dependents', { workspace_path: ws.workspacePath, task_ids: ids })) as {
        dependents?: Record<string, number[]>;
      };
      dependents = result.dependents ?? {};
    } else {
      dependents = {};
      const wanted = new Set(ids);
      for (const task of await this.backend.scan('list_tasks', { workspace_path: ws.workspacePath }, 'details')) {
        for (const dep of toTask(task, []).depends_on) {
          if (wanted.has(dep)) (dependents[dep] ??= []).push(Number(task.id));
        }
      }
      for (const list of Object.values(dependents)) list.sort((a, b) => a - b);
    }
    return rows.map((row) => toTask(row, dependents[String(row.id)] ?? []));
  }
}

