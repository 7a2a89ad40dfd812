/** Project operations (openapi.yaml tag Projects) over the project read/write models, and the caller's own scopes. */
import { assertMayUseProject, mayUseProject } from '../domain/access.js';
import { conditionalGet } from '../domain/etag.js';
import type { OperationHandlers } from '../http/typed-routes.js';
import { projectEtag } from '../service/project-writes.js';
import { hash8 } from '../taskmcp/paths.js';
import type { RouteContext } from './context.js';

export function projectHandlers({ services: { projects, projectWrites, resolver } }: RouteContext) {
  return {
    listProjects: async ({ caller }) => {
      const list = (await projects.listProjects()).filter((p) => mayUseProject(caller, p.id));
      return { status: 200, body: { projects: list, total: list.length } };
    },

    createProject: async ({ body, caller }) => {
      // The same checks as a workspace_path in a query: registered, or under ALLOWED_WORKSPACE_ROOTS.
      const ws = await resolver.resolve({ workspace_path: body.workspace_path });
      assertMayUseProject(caller, ws.projectId ?? hash8(ws.workspacePath));
      const { project, created } = await projectWrites.createProject(ws.workspacePath, body.friendly_name);
      const headers = { ETag: projectEtag(project), ...(created ? { Location: `/api/v1/projects/${project.id}` } : {}) };
      return created ? { status: 201, body: project, headers } : { status: 200, body: project, headers };
    },

    getProject: async ({ params, headers }) => {
      const project = await projects.getProject(params.project_id);
      return conditionalGet(headers['If-None-Match'], project, projectEtag(project));
    },

    updateProject: async ({ params, body, headers }) => {
      const project = await projectWrites.updateProject(params.project_id, body.friendly_name, headers['If-Match']);
      return { status: 200, body: project, headers: { ETag: projectEtag(project) } };
    },

    getMe: async ({ caller }) => ({ status: 200, body: { key_id: caller.id, access: caller.access, project_ids: caller.projects ? [...caller.projects] : null } }),
  } satisfies Partial<OperationHandlers>;
}
