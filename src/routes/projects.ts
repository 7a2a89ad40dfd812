/** Project operations (openapi.yaml tag Projects) over the project read/write models. */
import type { Schemas } from '../contract.js';
import { assertIfMatch, conditionalGet, etagOf } from '../http/etag.js';
import type { OperationHandlers } from '../http/typed-routes.js';
import type { RouteContext } from './context.js';

/** task-mcp bumps last_accessed on every read, so it is left out of the validator. */
function projectEtag({ last_accessed: _ignored, ...stable }: Schemas['ProjectDetail']): string {
  return etagOf(stable);
}

export function projectHandlers({ services: { projects, projectWrites } }: RouteContext) {
  return {
    listProjects: async () => {
      const list = await projects.listProjects();
      return { status: 200, body: { projects: list, total: list.length } };
    },

    getProject: async ({ params, headers }) => {
      const project = await projects.getProject(params.project_id);
      return conditionalGet(headers['If-None-Match'], project, projectEtag(project));
    },

    updateProject: async ({ params, body, headers }) => {
      await assertIfMatch(headers['If-Match'], async () => projectEtag(await projects.getProject(params.project_id, { fresh: true })));
      await projectWrites.updateProject(params.project_id, body.friendly_name);
      const project = await projects.getProject(params.project_id, { fresh: true });
      return { status: 200, body: project, headers: { ETag: projectEtag(project) } };
    },
  } satisfies Partial<OperationHandlers>;
}
