import type { components } from '../../generated/openapi.js';
import { assertIfMatch, conditionalGet, etagOf } from '../http/etag.js';
import type { OperationHandlers } from '../http/typed-routes.js';
import { type RouteContext, projectQuery } from './context.js';
import { tagFilter } from './tasks.js';

export function entityHandlers({ service, writes, idempotency }: RouteContext) {
  return {
    listEntities: async ({ query }) => {
      const ws = await service.resolve(query);
      const tags = tagFilter(query.tag, query.tags);
      return { status: 200, body: await service.listEntities(ws, query.entity_type, tags, query.limit ?? 50, query.offset ?? 0) };
    },

    createEntity: async ({ query, body, raw }) => {
      const ws = await service.resolve(query);
      const caller = raw.apiKey!.id;
      const request = { op: 'createEntity', workspace: ws.workspacePath, body };
      const outcome = await idempotency.run(caller, raw.get('idempotency-key'), request, async () => {
        const entity = await writes.createEntity(ws, body, caller);
        return { status: 201, body: entity, headers: { Location: `/api/v1/entities/${entity.id}${projectQuery(ws)}`, ETag: etagOf(entity) } };
      });
      return { status: 201, body: outcome.body as components['schemas']['Entity'], headers: outcome.headers };
    },

    searchEntities: async ({ query }) => {
      const ws = await service.resolve(query);
      return { status: 200, body: await service.searchEntities(ws, query.q, query.entity_type, query.limit ?? 20, query.offset ?? 0) };
    },

    getEntityStats: async ({ query }) => {
      const ws = await service.resolve(query);
      return { status: 200, body: await service.entityStats(ws) };
    },

    getEntity: async ({ params, query, raw }) => {
      const ws = await service.resolve(query);
      return conditionalGet(raw.get('if-none-match'), await service.getEntity(ws, params.entity_id));
    },

    updateEntity: async ({ params, query, body, raw }) => {
      const ws = await service.resolve(query);
      await assertIfMatch(raw.get('if-match'), async () => etagOf(await writes.currentEntity(ws, params.entity_id)));
      const entity = await writes.updateEntity(ws, params.entity_id, body);
      return { status: 200, body: entity, headers: { ETag: etagOf(entity) } };
    },

    deleteEntity: async ({ params, query, raw }) => {
      const ws = await service.resolve(query);
      await assertIfMatch(raw.get('if-match'), async () => etagOf(await writes.currentEntity(ws, params.entity_id)));
      await writes.deleteEntity(ws, params.entity_id);
      return { status: 204, body: undefined };
    },

    getEntityTasks: async ({ params, query }) => {
      const ws = await service.resolve(query);
      const filters = { status: query.status, priority: query.priority };
      return { status: 200, body: await service.getEntityTasks(ws, params.entity_id, filters, query.limit ?? 50, query.offset ?? 0) };
    },
  } satisfies Partial<OperationHandlers>;
}
