/**
 * One way to ask for entities: the `query_entities` extension tool (filters, sort, page and each
 * entity's `linked_tasks_count` in one call), or on backends without it the same answer computed from
 * a scan of `list_entities` plus one count per entity of the page (src/service/fallbacks.ts).
 */
import { toEnvelope } from './adapter.js';
import { type QueryEntitiesArgs, queryEntitiesOf } from './fallbacks.js';
import type { Row, ToolBackend } from './tool-backend.js';
import type { ResolvedWorkspace } from './workspace-resolver.js';

export type EntityQuery = Omit<QueryEntitiesArgs, 'workspace_path' | 'limit' | 'offset'>;

export const DEFAULT_ENTITY_SORT = '-created_at';

export class EntityQueries {
  constructor(private readonly backend: ToolBackend) {}

  async run(ws: ResolvedWorkspace, query: EntityQuery, page: { limit: number; offset: number }, options: { fresh?: boolean } = {}): Promise<{ total_count: number; items: Row[] }> {
    const args: QueryEntitiesArgs = { workspace_path: ws.workspacePath, ...query, ...page };
    if (await this.backend.hasTool('query_entities')) return (await this.backend.read('query_entities', { ...args }, options)) as { total_count: number; items: Row[] };
    const all = await this.backend.scan('list_entities', { workspace_path: ws.workspacePath }, 'details');
    const result = queryEntitiesOf(all, args);
    return { total_count: result.total_count, items: await this.withLinkCounts(ws, result.items, options) };
  }

  /** `linked_tasks_count` for rows from task-mcp's own tools (one counting call each on strict backends). */
  async withLinkCounts(ws: ResolvedWorkspace, rows: Row[], options: { fresh?: boolean } = {}): Promise<Row[]> {
    if (rows.length === 0) return rows;
    if (await this.backend.hasTool('query_entities')) {
      const ids = rows.map((r) => Number(r.id));
      const counted = (await this.backend.read('query_entities', { workspace_path: ws.workspacePath, ids, limit: ids.length, offset: 0 }, options)) as { items: Row[] };
      const byId = new Map(counted.items.map((e) => [Number(e.id), e.linked_tasks_count]));
      return rows.map((r) => ({ ...r, linked_tasks_count: byId.get(Number(r.id)) ?? 0 }));
    }
    const count = async (entity_id: number) =>
      toEnvelope(await this.backend.read('get_entity_tasks', { workspace_path: ws.workspacePath, entity_id, limit: 1, offset: 0, mode: 'summary' }, options)).total;
    const counts = await Promise.all(rows.map((r) => count(Number(r.id))));
    return rows.map((r, i) => ({ ...r, linked_tasks_count: counts[i] }));
  }
}
