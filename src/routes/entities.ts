/** Entity operations (openapi.yaml tag Entities): one handler per operationId over the entity read/write models. */
import type { Schemas } from '../contract.js';
import { conditionalGet, etagOf } from '../domain/etag.js';
import { ENTITY_COLUMNS, ENTITY_MARKDOWN } from '../export/columns.js';
import { exportBasename, sendExport } from '../export/export-stream.js';
import type { OperationHandlers } from '../http/typed-routes.js';
import { entityQueryArgs } from '../service/entity-reads.js';
import { type RouteContext, projectQuery } from './context.js';

export function entityHandlers({ services: { entities, entityWrites, probes }, idempotency }: RouteContext) {
  return {
    listEntities: async ({ workspace, query }) => ({ status: 200, body: await entities.listEntities(workspace, query) }),

    createEntity: async ({ workspace, body, headers, caller }) => {
      const request = { op: 'createEntity', workspace: workspace.workspacePath, body };
      const created = (entity: Schemas['Entity']) => ({ status: 201, body: entity, headers: { Location: `/api/v1/entities/${entity.id}${projectQuery(workspace)}`, ETag: etagOf(entity) } });
      const outcome = await idempotency.run(
        caller.id,
        headers['Idempotency-Key'],
        request,
        async () => created(await entityWrites.createEntity(workspace, body, caller.id)),
        async (since) => {
          const entity = await probes.entity(workspace, body, caller.id, since);
          return entity && created(entity);
        },
      );
      return { status: 201, body: outcome.body as Schemas['Entity'], headers: outcome.headers };
    },

    searchEntities: async ({ workspace, query }) => ({ status: 200, body: await entities.searchEntities(workspace, query) }),

    exportEntities: async ({ workspace, query, res }) => {
      await sendExport(res, {
        format: query.format,
        basename: exportBasename('entities', workspace.projectId),
        rows: entities.eachEntity(workspace, entityQueryArgs(query)),
        columns: ENTITY_COLUMNS,
        markdownHeaders: ENTITY_MARKDOWN,
      });
      return undefined;
    },

    getEntityStats: async ({ workspace }) => ({ status: 200, body: await entities.getEntityStats(workspace) }),

    getEntity: async ({ workspace, params, headers }) => conditionalGet(headers['If-None-Match'], await entities.getEntity(workspace, params.entity_id)),

    updateEntity: async ({ workspace, params, body, headers }) => {
      const entity = await entityWrites.updateEntity(workspace, params.entity_id, body, headers['If-Match']);
      return { status: 200, body: entity, headers: { ETag: etagOf(entity) } };
    },

    deleteEntity: async ({ workspace, params, headers }) => {
      await entityWrites.deleteEntity(workspace, params.entity_id, headers['If-Match']);
      return { status: 204, body: undefined };
    },

    getEntityTasks: async ({ workspace, params, query }) => ({ status: 200, body: await entities.getEntityTasks(workspace, params.entity_id, query) }),
  } satisfies Partial<OperationHandlers>;
}
