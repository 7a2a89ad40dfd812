/**
 * Read model for tasks: `listTasks`, `searchTasks`, `getTask`, `getTaskTree`, `getTaskEntities`,
 * `getNextTasks`, `getBlockedTasks`, `listTags`. Pagination and filters are pushed down to task-mcp;
 * whole-project scans happen only in fallbacks for backends without our extension tools.
 */
import type { QueryOf, Schemas } from '../contract.js';
import { tagFilterOf, toLinkedEntity, toPriorityCounts, toStatusCounts, toTaskTree } from './adapter.js';
import type { Dependents } from './dependents.js';
import { nextTasksOf, tagCountsOf } from './fallbacks.js';
import { type Args, type Row, type ToolBackend, defined } from './tool-backend.js';
import type { ResolvedWorkspace } from './workspace-resolver.js';

export class TaskReads {
  constructor(
    private readonly backend: ToolBackend,
    private readonly dependents: Dependents,
  ) {}

  async listTasks(ws: ResolvedWorkspace, query: QueryOf<'listTasks'>): Promise<Schemas['TaskList']> {
    const filters = defined({ status: query.status, priority: query.priority, parent_task_id: query.parent_task_id, tags: tagFilterOf(query.tag, query.tags) });
    const args: Args = { workspace_path: ws.workspacePath, ...filters };
    const [page, info] = await Promise.all([
      this.backend.page('list_tasks', args, query.limit, query.offset),
      this.backend.read('get_project_info', { workspace_path: ws.workspacePath }) as Promise<Row>,
    ]);
    return {
      tasks: await this.dependents.withDependents(ws, page.items),
      total: page.total,
      limit: query.limit,
      offset: query.offset,
      filters: { ...(ws.projectId ? { project_id: ws.projectId } : {}), ...filters } as Schemas['TaskList']['filters'],
      meta: { status_counts: toStatusCounts(info.by_status), priority_counts: toPriorityCounts(info.by_priority) },
    };
  }

  async searchTasks(ws: ResolvedWorkspace, query: QueryOf<'searchTasks'>): Promise<Schemas['TaskSearchResult']> {
    const page = await this.backend.page('search_tasks', { workspace_path: ws.workspacePath, search_term: query.q }, query.limit, query.offset);
    return { tasks: await this.dependents.withDependents(ws, page.items), total: page.total, limit: query.limit, offset: query.offset, query: query.q };
  }

  async getTask(ws: ResolvedWorkspace, taskId: number, includeEntities: boolean): Promise<Schemas['TaskWithEntities']> {
    const args = { workspace_path: ws.workspacePath, task_id: taskId };
    // The entities are fetched in parallel and must not fail the task.
    const [row, entities] = await Promise.all([
      this.backend.read('get_task', args) as Promise<Row>,
      includeEntities ? this.getTaskEntities(ws, taskId).then((e) => ({ entities: e }), (err: unknown) => ({ err })) : undefined,
    ]);
    const task = await this.dependents.one(ws, row);
    if (!entities) return task;
    if ('entities' in entities) return { ...task, entities: entities.entities };
    return { ...task, entities_error: entities.err instanceof Error ? entities.err.message : String(entities.err) };
  }

  async getTaskTree(ws: ResolvedWorkspace, taskId: number): Promise<Schemas['TaskTreeNode']> {
    const tree = (await this.backend.read('get_task_tree', { workspace_path: ws.workspacePath, task_id: taskId, mode: 'details' })) as Row;
    return toTaskTree(tree);
  }

  async getTaskEntities(ws: ResolvedWorkspace, taskId: number): Promise<Schemas['LinkedEntity'][]> {
    const rows = await this.backend.read('get_task_entities', { workspace_path: ws.workspacePath, task_id: taskId, mode: 'details' });
    return (Array.isArray(rows) ? rows : []).map((r) => toLinkedEntity(r as Row));
  }

  async getNextTasks(ws: ResolvedWorkspace, limit: number): Promise<Schemas['TaskCollection']> {
    const rows = (await this.backend.hasTool('get_next_tasks'))
      ? ((await this.backend.read('get_next_tasks', { workspace_path: ws.workspacePath, limit })) as Row[])
      : nextTasksOf(await this.backend.scan('list_tasks', { workspace_path: ws.workspacePath }, 'details')).slice(0, limit);
    const tasks = await this.dependents.withDependents(ws, rows);
    return { tasks, total: tasks.length };
  }

  async getBlockedTasks(ws: ResolvedWorkspace, limit: number): Promise<Schemas['TaskCollection']> {
    const rows = (await this.backend.hasTool('get_blocked_tasks'))
      ? ((await this.backend.read('get_blocked_tasks', { workspace_path: ws.workspacePath, limit })) as Row[])
      : (await this.backend.page('list_tasks', { workspace_path: ws.workspacePath, status: 'blocked' }, limit, 0)).items;
    const tasks = await this.dependents.withDependents(ws, rows);
    return { tasks, total: tasks.length };
  }

  async listTags(ws: ResolvedWorkspace): Promise<Array<{ tag: string; count: number }>> {
    if (await this.backend.hasTool('list_tags')) {
      const rows = (await this.backend.read('list_tags', { workspace_path: ws.workspacePath })) as Array<{ tag: unknown; count: unknown }>;
      return rows.map((r) => ({ tag: String(r.tag), count: Number(r.count) }));
    }
    return tagCountsOf(await this.backend.scan('list_tasks', { workspace_path: ws.workspacePath }, 'summary'));
  }
}

