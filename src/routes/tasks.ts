import type { OperationHandlers } from '../http/typed-routes.js';
import type { RouteContext } from './context.js';

/** `tag=a&tag=b` and `tags=a b` become task-mcp's one tag filter string. */
export function tagFilter(tag: string[] | undefined, tags: string | undefined): string | undefined {
  const words = [...(tag ?? []), ...(tags ? tags.split(/\s+/).filter(Boolean) : [])];
  return words.length ? words.join(' ') : undefined;
}

export function taskHandlers({ service }: RouteContext) {
  return {
    listTasks: async ({ query }) => {
      const ws = await service.resolve(query);
      const filters = {
        status: query.status,
        priority: query.priority,
        parent_task_id: query.parent_task_id,
        tags: tagFilter(query.tag, query.tags),
      };
      const defined = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
      return { status: 200, body: await service.listTasks(ws, defined, query.limit ?? 50, query.offset ?? 0) };
    },

    searchTasks: async ({ query }) => {
      const ws = await service.resolve(query);
      return { status: 200, body: await service.searchTasks(ws, query.q, query.limit ?? 20, query.offset ?? 0) };
    },

    getNextTasks: async ({ query }) => {
      const ws = await service.resolve(query);
      return { status: 200, body: await service.nextTasks(ws, query.limit ?? 10) };
    },

    getBlockedTasks: async ({ query }) => {
      const ws = await service.resolve(query);
      return { status: 200, body: await service.blockedTasks(ws, query.limit ?? 50) };
    },

    getTask: async ({ params, query }) => {
      const ws = await service.resolve(query);
      return { status: 200, body: await service.getTask(ws, params.task_id, query.include?.includes('entities') ?? false) };
    },

    getTaskTree: async ({ params, query }) => {
      const ws = await service.resolve(query);
      return { status: 200, body: await service.getTaskTree(ws, params.task_id) };
    },

    getTaskEntities: async ({ params, query }) => {
      const ws = await service.resolve(query);
      const entities = await service.getTaskEntities(ws, params.task_id);
      return { status: 200, body: { entities, total: entities.length } };
    },

    listTags: async ({ query }) => {
      const ws = await service.resolve(query);
      const tags = await service.tags(ws);
      return { status: 200, body: { tags, total: tags.length } };
    },
  } satisfies Partial<OperationHandlers>;
}
