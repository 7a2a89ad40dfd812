import type { components } from '../../generated/openapi.js';
import { assertIfMatch, conditionalGet, etagOf } from '../http/etag.js';
import type { OperationHandlers } from '../http/typed-routes.js';
import type { RouteContext } from './context.js';

/** task-mcp bumps last_accessed on every read, so it is left out of the validator. */
function projectEtag({ last_accessed: _ignored, ...stable }: components['schemas']['ProjectDetail']): string {
  return etagOf(stable);
}

export function projectHandlers({ service, writes }: RouteContext) {
  return {
    listProjects: async () => {
      const projects = await service.listProjects();
      return { status: 200, body: { projects, total: projects.length } };
    },

    getProject: async ({ params, raw }) => {
      const project = await service.getProject(params.project_id);
      return conditionalGet(raw.get('if-none-match'), project, projectEtag(project));
    },

    updateProject: async ({ params, body, raw }) => {
      await assertIfMatch(raw.get('if-match'), async () => projectEtag(await service.getProject(params.project_id, { fresh: true })));
      await writes.renameProject(params.project_id, body.friendly_name);
      const project = await service.getProject(params.project_id, { fresh: true });
      return { status: 200, body: project, headers: { ETag: projectEtag(project) } };
    },
  } satisfies Partial<OperationHandlers>;
}
