import type { components } from '../../generated/openapi.js';
import { assertIfMatch, conditionalGet, etagOf } from '../http/etag.js';
import type { OperationHandlers } from '../http/typed-routes.js';
import { type RouteContext, projectQuery } from './context.js';

/** `tag=a&tag=b` and `tags=a b` become task-mcp's one tag filter string. */
export function tagFilter(tag: string[] | undefined, tags: string | undefined): string | undefined {
  const words = [...(tag ?? []), ...(tags ? tags.split(/\s+/).filter(Boolean) : [])];
  return words.length ? words.join(' ') : undefined;
}

export function taskHandlers({ service, writes, idempotency }: RouteContext) {
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

    createTask: async ({ query, body, raw }) => {
      const ws = await service.resolve(query);
      const caller = raw.apiKey!.id;
      const request = { op: 'createTask', workspace: ws.workspacePath, body };
      const outcome = await idempotency.run(caller, raw.get('idempotency-key'), request, async () => {
        const task = await writes.createTask(ws, body, caller);
        return { status: 201, body: task, headers: { Location: `/api/v1/tasks/${task.id}${projectQuery(ws)}`, ETag: etagOf(task) } };
      });
      return { status: 201, body: outcome.body as components['schemas']['Task'], headers: outcome.headers };
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

    getTask: async ({ params, query, raw }) => {
      const ws = await service.resolve(query);
      return conditionalGet(raw.get('if-none-match'), await service.getTask(ws, params.task_id, query.include?.includes('entities') ?? false));
    },

    updateTask: async ({ params, query, body, raw }) => {
      const ws = await service.resolve(query);
      await assertIfMatch(raw.get('if-match'), async () => etagOf(await writes.currentTask(ws, params.task_id)));
      const task = await writes.updateTask(ws, params.task_id, body);
      return { status: 200, body: task, headers: { ETag: etagOf(task) } };
    },

    deleteTask: async ({ params, query, raw }) => {
      const ws = await service.resolve(query);
      await assertIfMatch(raw.get('if-match'), async () => etagOf(await writes.currentTask(ws, params.task_id)));
      await writes.deleteTask(ws, params.task_id, query.cascade ?? false);
      return { status: 204, body: undefined };
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

    linkEntityToTask: async ({ params, query, raw }) => {
      const ws = await service.resolve(query);
      const link = await writes.link(ws, params.task_id, params.entity_id, raw.apiKey!.id);
      return { status: link.created ? 201 : 200, body: link };
    },

    listTags: async ({ query }) => {
      const ws = await service.resolve(query);
      const tags = await service.tags(ws);
      return { status: 200, body: { tags, total: tags.length } };
    },
  } satisfies Partial<OperationHandlers>;
}
