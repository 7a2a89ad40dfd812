/** Write model for entities: `createEntity`, `updateEntity`, `deleteEntity`, with atomic `If-Match`. */
import type { Schemas } from '../contract.js';
import type { ChangeNotifier } from '../domain/changes.js';
import { etagOf } from '../domain/etag.js';
import { InvalidInputError } from '../domain/errors.js';
import { toEntity, toIsoTimestamp } from './adapter.js';
import type { ConditionalWrites, Current } from './conditional-write.js';
import type { EntityReads } from './entity-reads.js';
import { tagsArg } from './task-writes.js';
import { type Row, type ToolBackend, defined } from './tool-backend.js';
import type { ResolvedWorkspace } from './workspace-resolver.js';

/** So that an entity always fits in a page of task-mcp's response budget (16 KB as JSON). */
export const MAX_METADATA_BYTES = 16 * 1024;

/** task-mcp keeps a JSON value of any type as text; objects and arrays it serialises itself. */
function metadataArg(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_METADATA_BYTES) {
    throw new InvalidInputError(`metadata is larger than ${MAX_METADATA_BYTES / 1024} KB as JSON`, [{ field: 'body.metadata', message: `at most ${MAX_METADATA_BYTES} bytes as JSON` }]);
  }
  return typeof value === 'object' && value !== null ? value : JSON.stringify(value);
}

export class EntityWrites {
  constructor(
    private readonly backend: ToolBackend,
    private readonly reads: Pick<EntityReads, 'getEntity' | 'row'>,
    private readonly conditional: ConditionalWrites,
    private readonly notifier: ChangeNotifier,
  ) {}

  async createEntity(ws: ResolvedWorkspace, body: Schemas['EntityCreate'], createdBy: string): Promise<Schemas['Entity']> {
    const row = (await this.backend.write(
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
    )) as Row;
    const claimed = await this.claim(ws, 'entity.created', row);
    const entity = await this.reads.getEntity(ws, Number(row.id), { fresh: true });
    if (claimed) await this.announce(ws, 'entity.created', entity, null);
    return entity;
  }

  async updateEntity(ws: ResolvedWorkspace, entityId: number, body: Schemas['EntityUpdate'], ifMatch?: string): Promise<Schemas['Entity']> {
    const args = defined({
      workspace_path: ws.workspacePath,
      entity_id: entityId,
      name: body.name,
      identifier: body.identifier,
      description: body.description,
      metadata: metadataArg(body.metadata),
      tags: tagsArg(body.tags),
    });
    const row = (await this.conditional.run(this.key(ws, entityId), ifMatch, 'update_entity_checked', () => this.current(ws, entityId), (version) =>
      version === undefined ? this.backend.write('update_entity', args) : this.backend.write('update_entity_checked', { ...args, expected_updated_at: version }),
    )) as Row;
    const claimed = await this.claim(ws, 'entity.updated', row);
    const entity = await this.reads.getEntity(ws, entityId, { fresh: true });
    if (claimed) await this.announce(ws, 'entity.updated', entity, Object.keys(body));
    return entity;
  }

  async deleteEntity(ws: ResolvedWorkspace, entityId: number, ifMatch?: string): Promise<void> {
    const args = { workspace_path: ws.workspacePath, entity_id: entityId };
    await this.conditional.run(this.key(ws, entityId), ifMatch, 'delete_entity_checked', () => this.current(ws, entityId), (version) =>
      version === undefined ? this.backend.write('delete_entity', args) : this.backend.write('delete_entity_checked', { ...args, expected_updated_at: version }),
    );
    await this.notifier.changed({ type: 'entity.deleted', workspacePath: ws.workspacePath, projectId: ws.projectId, entityId, etag: null, changed: null, source: 'api', version: 'deleted' });
  }

  private claim(ws: ResolvedWorkspace, type: 'entity.created' | 'entity.updated', row: Row): Promise<boolean> {
    return this.notifier.claim({ type, workspacePath: ws.workspacePath, projectId: ws.projectId, entityId: Number(row.id), version: String(toIsoTimestamp(row.updated_at)) });
  }

  private announce(ws: ResolvedWorkspace, type: 'entity.created' | 'entity.updated', entity: Schemas['Entity'], changed: string[] | null): Promise<void> {
    return this.notifier.publish({ type, workspacePath: ws.workspacePath, projectId: ws.projectId, entityId: entity.id, etag: etagOf(entity), changed, source: 'api', version: String(entity.updated_at) });
  }

  private async current(ws: ResolvedWorkspace, entityId: number): Promise<Current<string>> {
    const row = await this.reads.row(ws, entityId, { fresh: true });
    return { etag: etagOf(toEntity(row)), version: String(row.updated_at) };
  }

  private key(ws: ResolvedWorkspace, entityId: number): string {
    return `entity:${ws.workspacePath}:${entityId}`;
  }
}
