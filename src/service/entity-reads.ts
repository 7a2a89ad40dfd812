/** Read model for entities: `listEntities`, `searchEntities`, `getEntityStats`, `getEntity`, `getEntityTasks`. */
import type { QueryOf, Schemas } from '../contract.js';
import { ENTITY_TYPES } from '../domain/vocabulary.js';
import { tagFilterOf, toEntity, toEnvelope, toLinkedTask } from './adapter.js';
import { type Row, type ToolBackend, defined } from './tool-backend.js';
import type { ResolvedWorkspace } from './workspace-resolver.js';

type EntityStats = { total: number; by_type: Record<(typeof ENTITY_TYPES)[number], number> };

export class EntityReads {
  constructor(private readonly backend: ToolBackend) {}

  async listEntities(ws: ResolvedWorkspace, query: QueryOf<'listEntities'>): Promise<Schemas['EntityList']> {
    const args = { workspace_path: ws.workspacePath, ...defined({ entity_type: query.entity_type, tags: tagFilterOf(query.tag, query.tags) }) };
    const page = await this.backend.page('list_entities', args, query.limit, query.offset);
    return { entities: page.items.map(toEntity), total: page.total, limit: query.limit, offset: query.offset };
  }

  async searchEntities(ws: ResolvedWorkspace, query: QueryOf<'searchEntities'>): Promise<Schemas['EntityList']> {
    const args = { workspace_path: ws.workspacePath, search_term: query.q, ...defined({ entity_type: query.entity_type }) };
    const page = await this.backend.page('search_entities', args, query.limit, query.offset);
    return { entities: page.items.map(toEntity), total: page.total, limit: query.limit, offset: query.offset };
  }

  async getEntityStats(ws: ResolvedWorkspace): Promise<EntityStats> {
    // One counting call (limit 1) per type instead of fetching entities: task-mcp reports total_count.
    const count = async (entity_type: string) =>
      toEnvelope(await this.backend.read('list_entities', { workspace_path: ws.workspacePath, entity_type, limit: 1, mode: 'summary' })).total;
    const counts = await Promise.all(ENTITY_TYPES.map(count));
    const byType = Object.fromEntries(ENTITY_TYPES.map((type, i) => [type, counts[i]!])) as EntityStats['by_type'];
    return { total: counts.reduce((a, b) => a + b, 0), by_type: byType };
  }

  async getEntity(ws: ResolvedWorkspace, entityId: number, options: { fresh?: boolean } = {}): Promise<Schemas['Entity']> {
    return toEntity((await this.backend.read('get_entity', { workspace_path: ws.workspacePath, entity_id: entityId }, options)) as Row);
  }

  async getEntityTasks(ws: ResolvedWorkspace, entityId: number, query: QueryOf<'getEntityTasks'>) {
    const args = { workspace_path: ws.workspacePath, entity_id: entityId, ...defined({ status: query.status, priority: query.priority }) };
    const page = await this.backend.page('get_entity_tasks', args, query.limit, query.offset);
    return { tasks: page.items.map(toLinkedTask), total: page.total, limit: query.limit, offset: query.offset };
  }
}
