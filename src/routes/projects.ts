import type { OperationHandlers } from '../http/typed-routes.js';
import type { RouteContext } from './context.js';

export function projectHandlers({ service }: RouteContext) {
  return {
    listProjects: async () => {
      const projects = await service.listProjects();
      return { status: 200, body: { projects, total: projects.length } };
    },

    getProject: async ({ params }) => ({ status: 200, body: await service.getProject(params.project_id) }),
  } satisfies Partial<OperationHandlers>;
}
