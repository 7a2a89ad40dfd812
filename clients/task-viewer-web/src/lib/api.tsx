/**
 * The typed API for components: the task-viewer-client package (openapi-fetch, types generated from
 * openapi.yaml) wrapped by openapi-react-query, so every query and mutation is typed from the spec and
 * a contract change that breaks the app fails its `tsc`.
 */
import { type QueryClient, useQueries, useQuery } from '@tanstack/react-query';
import createQueryHooks, { type OpenapiQueryClient } from 'openapi-react-query';
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { type TaskViewerClient, createTaskViewerClient, type paths } from 'task-viewer-client';
import { statusOf } from './errors';
import { uuid } from './uuid';
import type { Me, Task } from './types';

/** Where the API is: the folder the page was served from (`/`, or a prefix behind a proxy). */
export function apiBaseUrl(href = window.location.href): string {
  return new URL('.', href).href.replace(/\/+$/, '');
}

export function makeClients(apiKey: string) {
  const tv = createTaskViewerClient({ baseUrl: apiBaseUrl(), apiKey, requestId: uuid });
  return { tv, $api: createQueryHooks(tv.api) };
}

export interface Api {
  tv: TaskViewerClient;
  $api: OpenapiQueryClient<paths>;
  me: Me;
  canWrite: boolean;
  signOut(): void;
}

const ApiContext = createContext<Api | null>(null);

export function ApiProvider({ value, children }: { value: Api; children: ReactNode }) {
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

/** Retry a failed read once unless retrying cannot help (4xx other than 408/429). */
export function shouldRetry(failures: number, err: unknown): boolean {
  const status = statusOf(err);
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) return false;
  return failures < 2;
}

/** Query key of a task read together with its ETag (what edits send as If-Match). */
export const taskKey = (projectId: string, taskId: number) => ['task-with-etag', projectId, taskId] as const;
export const entityKey = (projectId: string, entityId: number) => ['entity-with-etag', projectId, entityId] as const;

/** One task and its ETag, through the client's `getTaskWithEtag`. */
export function useTask(projectId: string, taskId: number | undefined) {
  const { tv } = useApi();
  return useQuery({
    queryKey: taskKey(projectId, taskId ?? 0),
    queryFn: () => tv.getTaskWithEtag(taskId!, { project_id: projectId }),
    enabled: taskId !== undefined && taskId > 0,
  });
}

export function useEntity(projectId: string, entityId: number | undefined) {
  const { tv } = useApi();
  return useQuery({
    queryKey: entityKey(projectId, entityId ?? 0),
    queryFn: () => tv.getEntityWithEtag(entityId!, { project_id: projectId }),
    enabled: entityId !== undefined && entityId > 0,
  });
}

/** Titles of linked tasks (parent, depends on, blocks): one cached read per id; a task's direct links are few. */
export function useTaskTitles(projectId: string, ids: number[]): Map<number, { title?: string; status?: Task['status']; missing: boolean }> {
  const { $api } = useApi();
  const unique = useMemo(() => [...new Set(ids)], [ids]);
  const results = useQueries({
    queries: unique.map((id) => $api.queryOptions('get', '/api/v1/tasks/{task_id}', { params: { path: { task_id: id }, query: { project_id: projectId } } }, { staleTime: 30_000, retry: shouldRetry })),
  });
  return new Map(unique.map((id, i) => {
    const r = results[i];
    return [id, { ...(r?.data ? { title: r.data.title, status: r.data.status } : {}), missing: statusOf(r?.error) === 404 }];
  }));
}

/** Drop every cached read (sign-out, another key). */
export function clearAll(queryClient: QueryClient) {
  queryClient.clear();
}

export type { Task };
