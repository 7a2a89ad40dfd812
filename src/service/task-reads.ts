/**
 * Read model for tasks: `listTasks`, `searchTasks`, `getTask`, `getTaskTree`, `getTaskEntities`,
 * `getNextTasks`, `getBlockedTasks`, `getTaskGraph`, `listTags`. Filtering, sorting and paging happen
 * in the backend (`query_tasks`); whole-project scans only in fallbacks for backends without our
 * extension tools (src/service/fallbacks.ts).
 */
import type { QueryOf, Schemas } from '../contract.js';
import { NotFoundError } from '../domain/errors.js';
import { toLinkedEntity, toPriorityCounts, toStatusCounts, toTask, toTaskTree } from './adapter.js';
import type { EntityQueries } from './entity-query.js';
import { type QueryTasksResult, tagCountsOf, taskGraphOf } from './fallbacks.js';
import { type TaskQueries, type TaskQuery, sortOf, taskQueryArgs } from './task-query.js';
import { type Row, type ToolBackend, defined } from './tool-backend.js';
import { ResponseTooLargeError } from './tool-errors.js';
import type { ResolvedWorkspace } from './workspace-resolver.js';

type CountSet = Schemas['CountSet'];

function countSet(total: number, counts: { by_status?: unknown; by_priority?: unknown } | undefined): CountSet {
  return { total, status_counts: toStatusCounts(counts?.by_status), priority_counts: toPriorityCounts(counts?.by_priority) };
}

export class TaskReads {
  constructor(
    private readonly backend: ToolBackend,
    private readonly queries: TaskQueries,
    private readonly entityQueries: EntityQueries,
  ) {}

  async listTasks(ws: ResolvedWorkspace, query: QueryOf<'listTasks'>): Promise<Schemas['TaskList']> {
    const q = taskQueryArgs(query);
    const result = await this.queries.run(ws, { ...q, include_counts: true }, { limit: query.limit, offset: query.offset });
    const project = countSet(result.project_counts?.total ?? 0, result.project_counts);
    return {
      tasks: result.items.map(toTask),
      total: result.total_count,
      limit: query.limit,
      offset: query.offset,
      sort: sortOf(q),
      filters: this.filtersOf(ws, q),
      meta: {
        status_counts: project.status_counts,
        priority_counts: project.priority_counts,
        project,
        filtered: countSet(result.total_count, result.counts),
      },
    };
  }

  async searchTasks(ws: ResolvedWorkspace, query: QueryOf<'searchTasks'>): Promise<Schemas['TaskSearchResult']> {
    const q = taskQueryArgs({ q: query.q, sort: query.sort });
    const result = await this.queries.run(ws, { ...q, include_counts: false }, { limit: query.limit, offset: query.offset });
    return { tasks: result.items.map(toTask), total: result.total_count, limit: query.limit, offset: query.offset, sort: sortOf(q), query: query.q };
  }

  /** The tasks matching a list query, page by page (exports). */
  async *eachTask(ws: ResolvedWorkspace, q: TaskQuery): AsyncGenerator<Schemas['Task']> {
    for await (const row of this.queries.each(ws, q)) yield toTask(row);
  }

  /** One task as an API task; `fresh` bypasses the cache (If-Match checks, write replies). */
  async task(ws: ResolvedWorkspace, taskId: number, options: { fresh?: boolean } = {}): Promise<Schemas['Task']> {
    return toTask(await this.row(ws, taskId, options));
  }

  /** The stored row of one task, with subtask counts and dependents. */
  async row(ws: ResolvedWorkspace, taskId: number, options: { fresh?: boolean } = {}): Promise<Row> {
    const result = await this.queries.run(ws, { ids: [taskId], include_counts: false }, { limit: 1, offset: 0 }, options);
    const row = result.items[0];
    if (!row) throw new NotFoundError(`Task ${taskId} not found or has been deleted`);
    return row;
  }

  /** The ids of a task's (not deleted) direct subtasks. */
  async subtaskIds(ws: ResolvedWorkspace, taskId: number): Promise<number[]> {
    const result = await this.queries.run(ws, { parent_task_id: taskId, include_counts: false }, { limit: 1000, offset: 0 }, { fresh: true });
    return result.items.map((r) => Number(r.id));
  }

  /** Several tasks by id in one call (announcing changes found in the files). */
  async tasksByIds(ws: ResolvedWorkspace, ids: number[]): Promise<Schemas['Task'][]> {
    if (ids.length === 0) return [];
    return (await this.queries.run(ws, { ids, include_counts: false }, { limit: ids.length, offset: 0 }, { fresh: true })).items.map(toTask);
  }

  async getTask(ws: ResolvedWorkspace, taskId: number, includeEntities: boolean): Promise<Schemas['TaskWithEntities']> {
    // The entities are fetched in parallel and must not fail the task.
    const [task, entities] = await Promise.all([
      this.task(ws, taskId),
      includeEntities ? this.getTaskEntities(ws, taskId).then((e) => ({ entities: e }), (err: unknown) => ({ err })) : undefined,
    ]);
    if (!entities) return task;
    if ('entities' in entities) return { ...task, entities: entities.entities };
    return { ...task, entities_error: entities.err instanceof Error ? entities.err.message : String(entities.err) };
  }

  async getTaskTree(ws: ResolvedWorkspace, taskId: number): Promise<Schemas['TaskTreeNode']> {
    try {
      return toTaskTree((await this.backend.read('get_task_tree', { workspace_path: ws.workspacePath, task_id: taskId, mode: 'details' })) as Row);
    } catch (err) {
      // task-mcp refuses trees over its response budget; the caller still gets the tree, built level by level.
      if (!(err instanceof ResponseTooLargeError)) throw err;
      return this.treeInPieces(ws, await this.row(ws, taskId));
    }
  }

  private async treeInPieces(ws: ResolvedWorkspace, root: Row): Promise<Schemas['TaskTreeNode']> {
    const build = async (node: Row, depth: number): Promise<Row> => {
      if (depth > 250) return { ...node, subtasks: [] };
      const children = await this.backend.scan('list_tasks', { workspace_path: ws.workspacePath, parent_task_id: Number(node.id) }, 'details');
      children.sort((a, b) => Number(a.id) - Number(b.id));
      return { ...node, subtasks: await Promise.all(children.map((c) => build(c, depth + 1))) };
    };
    return toTaskTree(await build(root, 0));
  }

  async getTaskEntities(ws: ResolvedWorkspace, taskId: number): Promise<Schemas['LinkedEntity'][]> {
    const rows = await this.backend.read('get_task_entities', { workspace_path: ws.workspacePath, task_id: taskId, mode: 'details' });
    return (await this.entityQueries.withLinkCounts(ws, Array.isArray(rows) ? (rows as Row[]) : [])).map(toLinkedEntity);
  }

  async getNextTasks(ws: ResolvedWorkspace, limit: number): Promise<Schemas['TaskCollection']> {
    return this.collection(await this.queries.run(ws, { ready: true, sort: ['-priority', 'created_at'], include_counts: false }, { limit, offset: 0 }));
  }

  async getBlockedTasks(ws: ResolvedWorkspace, limit: number): Promise<Schemas['TaskCollection']> {
    return this.collection(await this.queries.run(ws, { status: ['blocked'], include_counts: false }, { limit, offset: 0 }));
  }

  async getTaskGraph(ws: ResolvedWorkspace, query: QueryOf<'getTaskGraph'>): Promise<Schemas['TaskGraph']> {
    const args = defined({ root_task_id: query.root_task_id, status: query.status?.length ? [...query.status] : undefined, max_nodes: query.max_nodes });
    const graph = (await this.backend.hasTool('get_task_graph'))
      ? ((await this.backend.read('get_task_graph', { workspace_path: ws.workspacePath, ...args })) as ReturnType<typeof taskGraphOf>)
      : taskGraphOf(await this.backend.scan('list_tasks', { workspace_path: ws.workspacePath }, 'details'), { ...args, max_nodes: query.max_nodes });
    if (!graph) throw new NotFoundError(`Task ${query.root_task_id} not found`);
    return {
      nodes: graph.nodes.map(({ depends_on: _deps, ...node }) => ({ ...node, status: node.status as Schemas['TaskStatus'], priority: node.priority as Schemas['Priority'] })),
      edges: graph.edges,
      total_nodes: graph.total_nodes,
      truncated: graph.truncated,
      root_task_id: graph.root_task_id,
    };
  }

  async listTags(ws: ResolvedWorkspace): Promise<Array<{ tag: string; count: number }>> {
    if (await this.backend.hasTool('list_tags')) {
      const rows = (await this.backend.read('list_tags', { workspace_path: ws.workspacePath })) as Array<{ tag: unknown; count: unknown }>;
      return rows.map((r) => ({ tag: String(r.tag), count: Number(r.count) }));
    }
    return tagCountsOf(await this.backend.scan('list_tasks', { workspace_path: ws.workspacePath }, 'summary'));
  }

  private collection(result: QueryTasksResult): Schemas['TaskCollection'] {
    return { tasks: result.items.map(toTask), total: result.total_count };
  }

  private filtersOf(ws: ResolvedWorkspace, q: TaskQuery): Schemas['TaskFilters'] {
    const { sort: _sort, include_counts: _counts, tags, ids: _ids, entity_id: _entity, ...rest } = q;
    return {
      ...(ws.projectId ? { project_id: ws.projectId } : {}),
      ...(rest as Omit<Schemas['TaskFilters'], 'project_id' | 'tags'>),
      ...(tags ? { tags: tags.join(' ') } : {}),
    };
  }
}
