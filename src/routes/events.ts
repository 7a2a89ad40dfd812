/** Live changes (openapi.yaml tag Events): the SSE stream and the short-lived tokens for EventSource. */
import type { OperationHandlers } from '../http/typed-routes.js';
import { assertMayUseProject } from '../domain/access.js';
import type { RouteContext } from './context.js';

export function eventHandlers({ events, tokens, services }: RouteContext) {
  return {
    streamEvents: async ({ query, headers, caller, res }) => {
      if (query.project_id) {
        assertMayUseProject(caller, query.project_id);
        await services.resolver.project(query.project_id); // 404 for a project that does not exist
      }
      await events.serve(res, { caller, projectId: query.project_id, lastEventId: headers['Last-Event-ID'] ?? query.lastEventId });
      return undefined;
    },

    createEventsToken: async ({ caller }) => ({ status: 201, body: await tokens.issue(caller) }),
  } satisfies Partial<OperationHandlers>;
}
