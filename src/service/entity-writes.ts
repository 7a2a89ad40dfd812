/** Write model for entities: `createEntity`, `updateEntity`, `deleteEntity`. */
import type { Schemas } from '../contract.js';
import { toEntity } from './adapter.js';
import type { EntityReads } from './entity-reads.js';
import { tagsArg } from './task-writes.js';
import { type Row, type ToolBackend, defined } from './tool-backend.js';
import type { ResolvedWorkspace } from './workspace-resolver.js';

/** task-mcp keeps a JSON value of any type as text; objects and arrays it serialises itself. */
function metadataArg(value: unknown): unknown {
  if (value === undefined) return undefined;
  return typeof value === 'object' && value !== null ? value : JSON.stringify(value);
}

export class EntityWrites {
  constructor(
    private readonly backend: ToolBackend,
    private readonly reads: Pick<EntityReads, 'getEntity'>,
  ) {}

  /** The entity as GET returns it (fresh, for If-Match). */
  currentEntity(ws: ResolvedWorkspace, entityId: number): Promise<Schemas['Entity']> {
    return this.reads.getEntity(ws, entityId, { fresh: true });
  }

  async createEntity(ws: ResolvedWorkspace, body: Schemas['EntityCreate'], createdBy: string): Promise<Schemas['Entity']> {
    const row = await this.backend.write(
      'create_entity',
      defined({
        workspace_path: ws.workspacePath,
        entity_type: body.entity_type,
        name: body.name,
        identifier: body.identifier,
        description: body.description,
        metadata: metadataArg(body.metadata),
        tags: tagsArg(body.tags),
        created_by: createdBy,
      }),
    );
    return toEntity(row as Row);
  }

  async updateEntity(ws: ResolvedWorkspace, entityId: number, body: Schemas['EntityUpdate']): Promise<Schemas['Entity']> {
    const row = await this.backend.write(
      'update_entity',
      defined({
        workspace_path: ws.workspacePath,
        entity_id: entityId,
        name: body.name,
        identifier: body.identifier,
        description: body.description,
        metadata: metadataArg(body.metadata),
        tags: tagsArg(body.tags),
      }),
    );
    return toEntity(row as Row);
  }

  async deleteEntity(ws: ResolvedWorkspace, entityId: number): Promise<void> {
    await this.backend.write('delete_entity', { workspace_path: ws.workspacePath, entity_id: entityId });
  }
}
