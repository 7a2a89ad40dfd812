/**
 * task-viewer-client: a typed client for task-viewer-api.
 *
 * Every request and response type comes from the API's OpenAPI document (`generated/openapi.ts`,
 * produced by openapi-typescript and copied into this package at build time); the transport is
 * openapi-fetch. On top of that: API-key auth, request ids, typed errors, pagination, ETag helpers,
 * typed sort values, live events (streamed fetch with reconnect) and export downloads.
 */
import createFetchClient, { type Client, type Middleware } from 'openapi-fetch';
import { type EventsOptions, type StreamEvent, streamEvents } from './events.js';
import { type ExportDownload, type ExportFormat, toDownload } from './export.js';
import type { components, operations, paths } from './generated/openapi.js';

export type { components, operations, paths };
export { createSseParser, type SseMessage, type SseParser } from './sse.js';
export type { ChangeEvent, ChangeEventType, EventsOptions, EventsStatus, EventsStatusDetail, StreamEvent } from './events.js';
export { filenameFromDisposition, type ExportDownload, type ExportFormat } from './export.js';
export {
  ENTITY_SORT_KEYS, TASK_SORT_KEYS, entitySort, parseTaskSort, taskSort,
  type EntitySortField, type EntitySortKey, type TaskSortField, type TaskSortKey,
} from './sort.js';

/** The one error body every non-2xx answer of the API carries. */
export type ApiErrorBody = components['schemas']['Error'];
export type Task = components['schemas']['Task'];
export type TaskUpdate = components['schemas']['TaskUpdate'];
export type Entity = components['schemas']['Entity'];
export type EntityUpdate = components['schemas']['EntityUpdate'];

type ListTasksQuery = NonNullable<operations['listTasks']['parameters']['query']>;
type ListEntitiesQuery = NonNullable<operations['listEntities']['parameters']['query']>;
/** Query of `GET /api/v1/tasks/export`: the list filters and sort, plus `format`. */
export type ExportTasksQuery = NonNullable<operations['exportTasks']['parameters']['query']>;
export type ExportEntitiesQuery = NonNullable<operations['exportEntities']['parameters']['query']>;
/** Which project a call is about (`project_id`, or a registered `workspace_path`). */
export type ProjectScope = { project_id?: string | undefined; workspace_path?: string | undefined };

/** The openapi-fetch client for this API: `api.GET('/api/v1/tasks', { params: { query } })` etc. */
export type TaskViewerFetchClient = Client<paths>;

export interface TaskViewerClientOptions {
  /** Where the API is, e.g. `http://127.0.0.1:8001` (no trailing path needed). */
  baseUrl: string;
  /** Sent as `X-API-Key` on every request (and on the event stream). */
  apiKey?: string | undefined;
  /**
   * `X-Request-ID` for requests that do not set one themselves: a fixed id, a function returning one
   * (e.g. the id of the request you are serving, to trace across services), or `false` to send none
   * (the server then makes one). Default: a fresh UUID per request.
   */
  requestId?: string | (() => string | undefined) | false | undefined;
  /** Extra headers for every request. */
  headers?: Record<string, string> | undefined;
  /** A custom fetch (tests, proxies); defaults to globalThis.fetch. */
  fetch?: ((input: Request) => Promise<Response>) | undefined;
}

/**
 * A non-2xx answer, with the API's error body (`error`, `message`, `status_code`, `details`,
 * `request_id`, `retry_after`) and the HTTP status. Network failures are not this: fetch throws them
 * as they are (openapi-fetch does not turn them into responses).
 */
export class TaskViewerApiError extends Error {
  override readonly name = 'TaskViewerApiError';
  /** The HTTP status (also `body.status_code` when the body is in the error format). */
  readonly status: number;
  /** The error body, when the server sent one in the error format. */
  readonly body: ApiErrorBody | undefined;
  /** `body.error`, e.g. `not_found`, `validation_error`, `precondition_failed`. */
  readonly code: string;
  /** The request id (from the body, else the `X-Request-ID` response header). */
  readonly requestId: string | undefined;
  /** Seconds to wait before retrying (429, 503), from the body or the `Retry-After` header. */
  readonly retryAfter: number | undefined;
  readonly response: Response;

  constructor(response: Response, body: unknown) {
    const errorBody = isErrorBody(body) ? body : undefined;
    super(errorBody ? `${response.status} ${errorBody.error}: ${errorBody.message}` : `HTTP ${response.status} ${response.statusText}`.trim());
    this.status = response.status;
    this.body = errorBody;
    this.code = errorBody?.error ?? `http_${response.status}`;
    this.requestId = errorBody?.request_id ?? response.headers.get('x-request-id') ?? undefined;
    const header = Number(response.headers.get('retry-after'));
    this.retryAfter = errorBody?.retry_after ?? (Number.isFinite(header) && header > 0 ? header : undefined);
    this.response = response;
  }
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  return !!body && typeof body === 'object' && typeof (body as ApiErrorBody).error === 'string' && typeof (body as ApiErrorBody).status_code === 'number';
}

/** Middleware setting `X-API-Key` on every request. */
export function apiKeyMiddleware(apiKey: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set('X-API-Key', apiKey);
      return request;
    },
  };
}

/** Middleware setting `X-Request-ID` on requests that have none (see TaskViewerClientOptions.requestId). */
export function requestIdMiddleware(requestId: Exclude<TaskViewerClientOptions['requestId'], false | undefined> = () => globalThis.crypto.randomUUID()): Middleware {
  return {
    onRequest({ request }) {
      if (request.headers.has('X-Request-ID')) return request;
      const id = typeof requestId === 'function' ? requestId() : requestId;
      if (id) request.headers.set('X-Request-ID', id);
      return request;
    },
  };
}

/** What every openapi-fetch call resolves to. */
interface FetchResult<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/**
 * The data of a successful call, or a TaskViewerApiError for any non-2xx:
 * `const task = await unwrap(api.GET('/api/v1/tasks/{task_id}', { params: { path: { task_id: 1 } } }))`.
 */
export async function unwrap<D>(call: Promise<FetchResult<D>> | FetchResult<D>): Promise<D> {
  const { data, error, response } = await call;
  if (!response.ok) throw new TaskViewerApiError(response, error);
  return data as D;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface TaskViewerClient {
  /** The typed openapi-fetch client: every operation of the API, typed from its OpenAPI document. */
  api: TaskViewerFetchClient;
  /** Every task matching the filters, fetched page by page (`limit`/`offset` until `total`). */
  tasks(query?: Omit<ListTasksQuery, 'limit' | 'offset'>, options?: { pageSize?: number | undefined }): AsyncGenerator<Task, void, undefined>;
  /** Every entity matching the filters, fetched page by page. */
  entities(query?: Omit<ListEntitiesQuery, 'limit' | 'offset'>, options?: { pageSize?: number | undefined }): AsyncGenerator<Entity, void, undefined>;
  /**
   * Live changes (`GET /api/v1/events`) as an async iterable, over a streamed fetch that sends the
   * client's `X-API-Key` (no token needed). It reconnects on its own with `Last-Event-ID` (the server
   * replays what was missed), backing off up to `maxRetryMs`; it ends when `signal` aborts, and throws
   * a TaskViewerApiError for a refusal retrying cannot fix (401, 403, 404, 400).
   */
  events(options?: EventsOptions): AsyncGenerator<StreamEvent, void, undefined>;
  /** `GET /api/v1/tasks/export`: the file for these filters, with the name the server suggests. Throws a TaskViewerApiError on a non-2xx. */
  exportTasks(query: ExportTasksQuery & { format: ExportFormat }): Promise<ExportDownload>;
  /** `GET /api/v1/entities/export`, likewise. */
  exportEntities(query: ExportEntitiesQuery & { format: ExportFormat }): Promise<ExportDownload>;
  /** One task and its ETag (for `updateTaskIfMatch` / `deleteTaskIfMatch`). */
  getTaskWithEtag(taskId: number, scope?: ProjectScope): Promise<{ task: Task; etag: string }>;
  /** PATCH with `If-Match`: throws a TaskViewerApiError with status 412 when the task changed since `etag`. */
  updateTaskIfMatch(taskId: number, etag: string, changes: TaskUpdate, scope?: ProjectScope): Promise<{ task: Task; etag: string }>;
  /** DELETE with `If-Match` (412 when the task changed since `etag`). */
  deleteTaskIfMatch(taskId: number, etag: string, scope?: ProjectScope & { cascade?: boolean | undefined }): Promise<void>;
  /**
   * Read-modify-write with optimistic locking: reads the task, computes the change, PATCHes it with
   * `If-Match`, and starts again (up to `attempts` times) when someone else changed the task meanwhile.
   */
  modifyTask(taskId: number, change: (task: Task) => TaskUpdate, options?: ProjectScope & { attempts?: number | undefined }): Promise<Task>;
  /** One entity and its ETag. */
  getEntityWithEtag(entityId: number, scope?: ProjectScope): Promise<{ entity: Entity; etag: string }>;
  /** PATCH with `If-Match` (412 when the entity changed since `etag`). */
  updateEntityIfMatch(entityId: number, etag: string, changes: EntityUpdate, scope?: ProjectScope): Promise<{ entity: Entity; etag: string }>;
}

function etagOf(response: Response): string {
  const etag = response.headers.get('etag');
  if (!etag) throw new Error(`${response.url}: the response has no ETag header`);
  return etag;
}

async function* paginate<T>(fetchPage: (limit: number, offset: number) => Promise<Page<T>>, pageSize: number): AsyncGenerator<T, void, undefined> {
  let offset = 0;
  for (;;) {
    const page = await fetchPage(pageSize, offset);
    yield* page.items;
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total) return;
  }
}

/** A scope without its undefined members (the query serializer would send them as text otherwise). */
type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };
function defined<T extends object>(query: T): Defined<T>;
function defined<T extends object>(query: T | undefined): Defined<T> | undefined;
function defined<T extends object>(query: T | undefined): Defined<T> | undefined {
  if (!query) return undefined;
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Defined<T>;
}

export function createTaskViewerClient(options: TaskViewerClientOptions): TaskViewerClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const api = createFetchClient<paths>({
    baseUrl,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  if (options.apiKey) api.use(apiKeyMiddleware(options.apiKey));
  if (options.requestId !== false) api.use(requestIdMiddleware(options.requestId));

  const getTaskWithEtag: TaskViewerClient['getTaskWithEtag'] = async (taskId, scope) => {
    const result = await api.GET('/api/v1/tasks/{task_id}', { params: { path: { task_id: taskId }, query: defined(scope ?? {}) } });
    const task = await unwrap(result);
    // Without `include`, the body is a plain Task.
    return { task: task as Task, etag: etagOf(result.response) };
  };

  const updateTaskIfMatch: TaskViewerClient['updateTaskIfMatch'] = async (taskId, etag, changes, scope) => {
    const result = await api.PATCH('/api/v1/tasks/{task_id}', {
      params: { path: { task_id: taskId }, query: defined(scope ?? {}), header: { 'If-Match': etag } },
      body: changes,
    });
    return { task: await unwrap(result), etag: etagOf(result.response) };
  };

  return {
    api,

    tasks(query = {}, { pageSize = 100 } = {}) {
      return paginate(async (limit, offset) => {
        const page = await unwrap(api.GET('/api/v1/tasks', { params: { query: { ...query, limit, offset } } }));
        return { items: page.tasks, total: page.total, limit: page.limit, offset: page.offset };
      }, pageSize);
    },

    entities(query = {}, { pageSize = 100 } = {}) {
      return paginate(async (limit, offset) => {
        const page = await unwrap(api.GET('/api/v1/entities', { params: { query: { ...query, limit, offset } } }));
        return { items: page.entities, total: page.total, limit: page.limit, offset: page.offset };
      }, pageSize);
    },

    getTaskWithEtag,
    updateTaskIfMatch,

    events(eventOptions) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.apiKey) headers['X-API-Key'] = options.apiKey;
      return streamEvents(
        {
          baseUrl,
          headers,
          fetch: options.fetch ?? ((request) => globalThis.fetch(request)),
          refusal: (response, body) => new TaskViewerApiError(response, body),
        },
        eventOptions,
      );
    },

    async exportTasks(query) {
      const { data, error, response } = await api.GET('/api/v1/tasks/export', { params: { query: defined(query) }, parseAs: 'stream' });
      if (!response.ok || data === undefined) throw new TaskViewerApiError(response, error);
      return toDownload(response, 'tasks', query.format);
    },

    async exportEntities(query) {
      const { data, error, response } = await api.GET('/api/v1/entities/export', { params: { query: defined(query) }, parseAs: 'stream' });
      if (!response.ok || data === undefined) throw new TaskViewerApiError(response, error);
      return toDownload(response, 'entities', query.format);
    },

    async deleteTaskIfMatch(taskId, etag, scope) {
      await unwrap(api.DELETE('/api/v1/tasks/{task_id}', { params: { path: { task_id: taskId }, query: defined(scope ?? {}), header: { 'If-Match': etag } } }));
    },

    async modifyTask(taskId, change, { attempts = 3, ...scope } = {}) {
      for (let attempt = 1; ; attempt++) {
        const { task, etag } = await getTaskWithEtag(taskId, scope);
        try {
          return (await updateTaskIfMatch(taskId, etag, change(task), scope)).task;
        } catch (err) {
          if (!(err instanceof TaskViewerApiError) || err.status !== 412 || attempt >= attempts) throw err;
        }
      }
    },

    async getEntityWithEtag(entityId, scope) {
      const result = await api.GET('/api/v1/entities/{entity_id}', { params: { path: { entity_id: entityId }, query: defined(scope ?? {}) } });
      return { entity: await unwrap(result), etag: etagOf(result.response) };
    },

    async updateEntityIfMatch(entityId, etag, changes, scope) {
      const result = await api.PATCH('/api/v1/entities/{entity_id}', {
        params: { path: { entity_id: entityId }, query: defined(scope ?? {}), header: { 'If-Match': etag } },
        body: changes,
      });
      return { entity: await unwrap(result), etag: etagOf(result.response) };
    },
  };
}

export default createTaskViewerClient;
