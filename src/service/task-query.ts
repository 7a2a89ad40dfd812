/**
 * One way to ask for tasks: the `query_tasks` extension tool (filters, sort, page, counts, subtask
 * counts and dependents in one call), or — on backends without it — the same answer computed from a
 * scan of `list_tasks` (src/service/fallbacks.ts, `queryTasksOf`). `taskQueryArgs` turns the API's
 * list parameters into the tool's arguments; nothing else restates a filter.
 */
import type { QueryOf } from '../contract.js';
import { type QueryTasksArgs, type QueryTasksResult, queryTasksOf } from './fallbacks.js';
import { type Row, type ToolBackend, defined } from './tool-backend.js';
import type { ResolvedWorkspace } from './workspace-resolver.js';

/** The filter and sort parameters shared by the task list, search and export operations. */
export type TaskListParams = Partial<Omit<QueryOf<'listTasks'>, 'project_id' | 'workspace_path' | 'limit' | 'offset'>>;

export type TaskQuery = Omit<QueryTasksArgs, 'workspace_path' | 'limit' | 'offset'>;

export const DEFAULT_TASK_SORT = '-created_at';

/** The API's list parameters as `query_tasks` arguments (tags lowercased, `sort` split). */
export function taskQueryArgs(p: TaskListParams): TaskQuery {
  const tags = [...(p.tag ?? []), ...(p.tags ? p.tags.split(/\s+/).filter(Boolean) : [])].map((t) => t.toLowerCase());
  // Polling with updated_since reads oldest changes first, so what changes meanwhile lands at the end.
  const sort = p.sort ?? (p.updated_since !== undefined ? 'updated_at' : undefined);
  return defined({
    status: p.status?.length ? [...p.status] : undefined,
    priority: p.priority?.length ? [...p.priority] : undefined,
    parent_task_id: p.parent_task_id,
    tags: tags.length ? tags : undefined,
    q: p.q,
    ready: p.ready,
    is_blocker: p.is_blocker,
    has_subtasks: p.has_subtasks,
    created_by: p.created_by,
    created_after: p.created_after,
    created_before: p.created_before,
    updated_after: p.updated_after,
    updated_before: p.updated_before,
    updated_since: p.updated_since,
    sort: sort?.split(','),
  });
}

/** The order a query applies, as the API echoes it. */
export function sortOf(query: TaskQuery): string {
  return query.sort?.join(',') ?? (query.entity_id !== undefined ? '-link_created_at' : DEFAULT_TASK_SORT);
}

export class TaskQueries {
  constructor(private readonly backend: ToolBackend) {}

  /**
   * Every matching task, page by page. With `query_tasks` each page is one call; without it the
   * project is scanned once (a scan per page would repeat the whole project for every page).
   */
  async *each(ws: ResolvedWorkspace, query: TaskQuery, pageSize = 500): AsyncGenerator<Row> {
    if (!(await this.backend.hasTool('query_tasks'))) {
      const all = await this.scanAll(ws, query);
      yield* queryTasksOf(all.tasks, { workspace_path: ws.workspacePath, ...query, include_counts: false, limit: Number.MAX_SAFE_INTEGER, offset: 0 }, all.linked).items;
      return;
    }
    for (let offset = 0; ; offset += pageSize) {
      const result = await this.run(ws, { ...query, include_counts: false }, { limit: pageSize, offset });
      yield* result.items;
      if (result.items.length < pageSize || offset + pageSize >= result.total_count) return;
    }
  }

  async run(ws: ResolvedWorkspace, query: TaskQuery, page: { limit: number; offset: number }, options: { fresh?: boolean } = {}): Promise<QueryTasksResult> {
    const args: QueryTasksArgs = { workspace_path: ws.workspacePath, ...query, ...page };
    if (await this.backend.hasTool('query_tasks')) return (await this.backend.read('query_tasks', { ...args }, options)) as QueryTasksResult;
    const all = await this.scanAll(ws, query);
    return queryTasksOf(all.tasks, args, all.linked);
  }

  private async scanAll(ws: ResolvedWorkspace, query: TaskQuery): Promise<{ tasks: Row[]; linked?: Row[] }> {
    const tasks = await this.backend.scan('list_tasks', { workspace_path: ws.workspacePath }, 'details');
    if (query.entity_id === undefined) return { tasks };
    return { tasks, linked: await this.backend.scan('get_entity_tasks', { workspace_path: ws.workspacePath, entity_id: query.entity_id }, 'details') };
  }
}
