/** Task operations (openapi.yaml tag Tasks): one handler per operationId, each a thin call into the task read/write models. */
import type { Schemas } from '../contract.js';
import { conditionalGet, etagOf } from '../domain/etag.js';
import { TASK_COLUMNS, TASK_MARKDOWN } from '../export/columns.js';
import { exportBasename, sendExport } from '../export/export-stream.js';
import type { OperationHandlers } from '../http/typed-routes.js';
import { taskQueryArgs } from '../service/task-query.js';
import { type RouteContext, projectQuery } from './context.js';

export function taskHandlers({ services: { tasks, taskWrites, probes }, idempotency }: RouteContext) {
  return {
    listTasks: async ({ workspace, query }) => ({ status: 200, body: await tasks.listTasks(workspace, query) }),

    createTask: async ({ workspace, body, headers, caller }) => {
      const request = { op: 'createTask', workspace: workspace.workspacePath, body };
      const created = (task: Schemas['Task']) => ({ status: 201, body: task, headers: { Location: `/api/v1/tasks/${task.id}${projectQuery(workspace)}`, ETag: etagOf(task) } });
      const outcome = await idempotency.run(
        caller.id,
        headers['Idempotency-Key'],
        request,
        async () => created(await taskWrites.createTask(workspace, body, caller.id)),
        async (since) => {
          const task = await probes.task(workspace, body, caller.id, since);
          return task && created(task);
        },
      );
      return { status: 201, body: outcome.body as Schemas['Task'], headers: outcome.headers };
    },

    searchTasks: async ({ workspace, query }) => ({ status: 200, body: await tasks.searchTasks(workspace, query) }),

    getNextTasks: async ({ workspace, query }) => ({ status: 200, body: await tasks.getNextTasks(workspace, query.limit) }),

    getBlockedTasks: async ({ workspace, query }) => ({ status: 200, body: await tasks.getBlockedTasks(workspace, query.limit) }),

    getTaskGraph: async ({ workspace, query }) => ({ status: 200, body: await tasks.getTaskGraph(workspace, query) }),

    exportTasks: async ({ workspace, query, res }) => {
      await sendExport(res, {
        format: query.format,
        basename: exportBasename('tasks', workspace.projectId),
        rows: tasks.eachTask(workspace, taskQueryArgs(query)),
        columns: TASK_COLUMNS,
        markdownHeaders: TASK_MARKDOWN,
      });
      return undefined;
    },

    getTask: async ({ workspace, params, query, headers }) =>
      conditionalGet(headers['If-None-Match'], await tasks.getTask(workspace, params.task_id, query.include?.includes('entities') ?? false)),

    updateTask: async ({ workspace, params, body, headers }) => {
      const task = await taskWrites.updateTask(workspace, params.task_id, body, headers['If-Match']);
      return { status: 200, body: task, headers: { ETag: etagOf(task) } };
    },

    deleteTask: async ({ workspace, params, query, headers }) => {
      await taskWrites.deleteTask(workspace, params.task_id, query.cascade, headers['If-Match']);
      return { status: 204, body: undefined };
    },

    getTaskTree: async ({ workspace, params }) => ({ status: 200, body: await tasks.getTaskTree(workspace, params.task_id) }),

    getTaskEntities: async ({ workspace, params }) => {
      const entities = await tasks.getTaskEntities(workspace, params.task_id);
      return { status: 200, body: { entities, total: entities.length } };
    },

    linkEntityToTask: async ({ workspace, params, caller }) => {
      const link = await taskWrites.linkEntityToTask(workspace, params.task_id, params.entity_id, caller.id);
      return { status: link.created ? 201 : 200, body: link };
    },

    listTags: async ({ workspace }) => {
      const tags = await tasks.listTags(workspace);
      return { status: 200, body: { tags, total: tags.length } };
    },
  } satisfies Partial<OperationHandlers>;
}
