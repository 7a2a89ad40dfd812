import type { OperationHandlers } from '../http/typed-routes.js';
import type { RouteContext } from './context.js';
import { tagFilter } from './tasks.js';

export function entityHandlers({ service }: RouteContext) {
  return {
    listEntities: async ({ query }) => {
      const ws = await service.resolve(query);
      const tags = tagFilter(query.tag, query.tags);
      return { status: 200, body: await service.listEntities(ws, query.entity_type, tags, query.limit ?? 50, query.offset ?? 0) };
    },

    searchEntities: async ({ query }) => {
      const ws = await service.resolve(query);
      return { status: 200, body: await service.searchEntities(ws, query.q, query.entity_type, query.limit ?? 20, query.offset ?? 0) };
    },

    getEntityStats: async ({ query }) => {
      const ws = await service.resolve(query);
      return { status: 200, body: await service.entityStats(ws) };
    },

    getEntity: async ({ params, query }) => {
      const ws = await service.resolve(query);
      return { status: 200, body: await service.getEntity(ws, params.entity_id) };
    },

    getEntityTasks: async ({ params, query }) => {
      const ws = await service.resolve(query);
      const filters = { status: query.status, priority: query.priority };
      return { status: 200, body: await service.getEntityTasks(ws, params.entity_id, filters, query.limit ?? 50, query.offset ?? 0) };
    },
  } satisfies Partial<OperationHandlers>;
}
