/**
 * Read model for entities: `listEntities`, `searchEntities`, `getEntityStats`, `getEntity`,
 * `getEntityTasks`. Filtering, sorting, paging and link counts happen in the backend
 * (`query_entities`, `query_tasks`); fallbacks compute the same from task-mcp's own tools.
 */
import type { QueryOf, Schemas } from '../contract.js';
import { NotFoundError } from '../domain/errors.js';
import { ENTITY_TYPES } from '../domain/vocabulary.js';
import { toEntity, toLinkedTask } from './adapter.js';
import { DEFAULT_ENTITY_SORT, type EntityQueries, type EntityQuery } from './entity-query.js';
import { entityStatsOf } from './fallbacks.js';
import { type TaskQueries, taskQueryArgs } from './task-query.js';
import { type Row, type ToolBackend, defined } from './tool-backend.js';
import type { ResolvedWorkspace } from './workspace-resolver.js';

interface EntityStats {
  total: number;
  by_type: Record<(typeof ENTITY_TYPES)[number], number>;
  tags: Array<{ tag: string; count: number }>;
  top_tags: Array<{ tag: string; count: number }>;
}

/** The API's entity list parameters as `query_entities` arguments. */
export function entityQueryArgs(p: { entity_type?: string; tag?: readonly string[]; tags?: string; q?: string; sort?: string }): EntityQuery {
  const tags = [...(p.tag ?? []), ...(p.tags ? p.tags.split(/\s+/).filter(Boolean) : [])].map((t) => t.toLowerCase());
  return defined({ entity_type: p.entity_type, tags: tags.length ? tags : undefined, q: p.q, sort: p.sort?.split(',') });
}

export class EntityReads {
  constructor(
    private readonly backend: ToolBackend,
    private readonly queries: EntityQueries,
    private readonly taskQueries: TaskQueries,
  ) {}

  async listEntities(ws: ResolvedWorkspace, query: QueryOf<'listEntities'>): Promise<Schemas['EntityList']> {
    const q = entityQueryArgs(query);
    const result = await this.queries.run(ws, q, { limit: query.limit, offset: query.offset });
    return { entities: result.items.map(toEntity), total: result.total_count, limit: query.limit, offset: query.offset, sort: q.sort?.join(',') ?? DEFAULT_ENTITY_SORT };
  }

  async searchEntities(ws: ResolvedWorkspace, query: QueryOf<'searchEntities'>): Promise<Schemas['EntityList']> {
    const q = entityQueryArgs(query);
    const result = await this.queries.run(ws, q, { limit: query.limit, offset: query.offset });
    return { entities: result.items.map(toEntity), total: result.total_count, limit: query.limit, offset: query.offset, sort: q.sort?.join(',') ?? DEFAULT_ENTITY_SORT };
  }

  /** The entities matching a list query, page by page (exports). */
  async *eachEntity(ws: ResolvedWorkspace, q: EntityQuery, pageSize = 500): AsyncGenerator<Schemas['Entity']> {
    for (let offset = 0; ; offset += pageSize) {
      const result = await this.queries.run(ws, q, { limit: pageSize, offset });
      for (const row of result.items) yield toEntity(row);
      if (result.items.length < pageSize || offset + pageSize >= result.total_count) return;
    }
  }

  async getEntityStats(ws: ResolvedWorkspace): Promise<EntityStats> {
    const stats = (await this.backend.hasTool('get_entity_stats'))
      ? ((await this.backend.read('get_entity_stats', { workspace_path: ws.workspacePath })) as ReturnType<typeof entityStatsOf>)
      : entityStatsOf(await this.backend.scan('list_entities', { workspace_path: ws.workspacePath }, 'summary'));
    const byType = Object.fromEntries(ENTITY_TYPES.map((type) => [type, Number(stats.by_type[type] ?? 0)])) as EntityStats['by_type'];
    const tags = stats.tags.map((t) => ({ tag: String(t.tag), count: Number(t.count) }));
    return { total: Number(stats.total), by_type: byType, tags, top_tags: tags.slice(0, 10) };
  }

  async getEntity(ws: ResolvedWorkspace, entityId: number, options: { fresh?: boolean } = {}): Promise<Schemas['Entity']> {
    return toEntity(await this.row(ws, entityId, options));
  }

  /** The stored row of one entity, with its link count. */
  async row(ws: ResolvedWorkspace, entityId: number, options: { fresh?: boolean } = {}): Promise<Row> {
    const result = await this.queries.run(ws, { ids: [entityId] }, { limit: 1, offset: 0 }, options);
    const row = result.items[0];
    if (!row) throw new NotFoundError(`Entity ${entityId} not found or has been deleted`);
    return row;
  }

  async getEntityTasks(ws: ResolvedWorkspace, entityId: number, query: QueryOf<'getEntityTasks'>) {
    const q = { ...taskQueryArgs({ status: query.status, priority: query.priority, sort: query.sort }), entity_id: entityId };
    const result = await this.taskQueries.run(ws, { ...q, include_counts: false }, { limit: query.limit, offset: query.offset });
    return { tasks: result.items.map(toLinkedTask), total: result.total_count, limit: query.limit, offset: query.offset };
  }
}
