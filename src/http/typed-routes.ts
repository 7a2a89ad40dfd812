/**
 * Handlers keyed by the spec's operationIds and typed from the generated `operations`: the compiler
 * checks path params, query, headers, body and every response body against openapi.yaml, and a spec
 * operation without a handler fails `tsc` (OperationHandlers has every operationId as a required key).
 * Routing itself comes from the spec: express-openapi-validator matches the request to an operation
 * (and validates it) first; `dispatch` then runs that operation's handler. Nothing the spec does not
 * describe can be served.
 *
 * A handler receives what it needs already prepared: query values with the spec's defaults applied
 * (generated/operation-params.ts), the spec's header parameters by their spec names, the caller, and —
 * for operations that take `project_id`/`workspace_path` — the resolved workspace.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { operations } from '../../generated/openapi.js';
import { OPERATION_PARAMS } from '../../generated/operation-params.js';
import type { OperationId, QueryOf, TakesWorkspace } from '../contract.js';
import type { ResolvedWorkspace } from '../service/workspace-resolver.js';
import { assertMayUseProject, assertMayWrite } from '../domain/access.js';
import { noneMatch } from '../domain/etag.js';
import { answerScope } from './fast-path.js';
import { CACHEABLE_OPERATIONS, type CachedAnswer, type ResponseCache } from './response-cache.js';
import { hash8 } from '../taskmcp/paths.js';
import type { ApiKeyIdentity } from './api-keys.js';

export type { OperationId };
type Op<K extends OperationId> = operations[K];

type Params<O> = O extends { parameters: { path?: infer X } } ? ([X] extends [undefined] ? object : NonNullable<X>) : object;
type Headers<O> = O extends { parameters: { header?: infer X } } ? ([X] extends [undefined] ? object : NonNullable<X>) : object;
type Body<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : undefined;
type Responses<O> = O extends { responses: infer R } ? R : never;
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;

/** What a handler returns: one of the operation's documented statuses with the body the spec gives it. */
export type Reply<O> = {
  [S in keyof Responses<O> & number]: {
    status: S;
    body: JsonOf<Responses<O>[S]>;
    headers?: Record<string, string>;
    /** A non-JSON body (e.g. Prometheus text), sent with its own Content-Type header. */
    text?: string;
  };
}[keyof Responses<O> & number];

export interface TypedRequest<K extends OperationId> {
  params: Params<Op<K>>;
  query: QueryOf<K>;
  /** The spec's header parameters, by their names in the spec (e.g. `If-Match`). */
  headers: Headers<Op<K>>;
  body: Body<Op<K>>;
  /** The calling key (operations without security get an anonymous caller). */
  caller: ApiKeyIdentity;
  /** Resolved once per request for operations that take `workspace_path`. */
  workspace: TakesWorkspace<K> extends true ? ResolvedWorkspace : undefined;
  /** The raw Express request and response, for streaming replies and what the spec does not model. */
  raw: Request;
  res: Response;
}

/** A handler may answer by itself (streams): it then returns `undefined` after writing to `res`. */
export type TypedHandler<K extends OperationId> = (req: TypedRequest<K>) => Promise<Reply<Op<K>> | undefined>;
export type OperationHandlers = { [K in OperationId]: TypedHandler<K> };

interface OpenApiRequestInfo {
  openapi?: { schema?: { operationId?: string }; pathParams?: Record<string, unknown> };
}

export interface DispatchOptions {
  /** Turns `project_id` / `workspace_path` (or the defaults) into a workspace. */
  resolveWorkspace(selector: { project_id?: string; workspace_path?: string }): Promise<ResolvedWorkspace>;
  /** Ready answers of cacheable GETs: served when current, stored after a miss. */
  answers?: ResponseCache;
  /** Send JSON through `res.json`, where the response validator checks it. */
  validateResponses?: boolean;
}

/** Operations that change nothing although they are not GETs. */
const NOT_WRITES: ReadonlySet<string> = new Set<OperationId>(['createEventsToken']);

/** The caller of operations without security (health, docs, the web app): may read, owns nothing. */
export const ANONYMOUS: ApiKeyIdentity = { id: 'anonymous', access: 'read', projects: [] };

/** A ready answer on the Express path (compression, when it applies, is the middleware's). */
function sendAnswer(req: Request, res: Response, answer: CachedAnswer): void {
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  if (answer.etag && !noneMatch(req.get('if-none-match'), answer.etag)) {
    res.status(304).end();
    return;
  }
  res.status(200).end(answer.body);
}

export function dispatch(handlers: OperationHandlers, options: DispatchOptions): RequestHandler {
  const byId = handlers as unknown as Record<string, (req: unknown) => Promise<unknown>>;
  const params = OPERATION_PARAMS as Record<string, { defaults: Record<string, unknown>; headers: readonly string[]; workspace: boolean }>;
  return async (req, res, next) => {
    const info = (req as Request & OpenApiRequestInfo).openapi;
    const id = info?.schema?.operationId;
    const handler = id ? byId[id] : undefined;
    if (!id || !handler) return next();
    try {
      const spec = params[id]!;
      const caller = req.apiKey ?? ANONYMOUS;
      const pathParams = (info?.pathParams ?? req.params) as Record<string, unknown>;
      // Scopes: a read-only key changes nothing; a project-bound key names only its projects.
      if (req.apiKey && req.method !== 'GET' && req.method !== 'HEAD' && !NOT_WRITES.has(id)) assertMayWrite(caller);
      if (req.apiKey && typeof pathParams.project_id === 'string') assertMayUseProject(caller, pathParams.project_id);
      // The validator has already coerced path and query values to the spec's types.
      const query = { ...spec.defaults, ...(req.query as Record<string, unknown>) };
      const headers = Object.fromEntries(spec.headers.map((name) => [name, req.get(name)]).filter(([, v]) => v !== undefined));
      let workspace: ResolvedWorkspace | undefined;
      if (spec.workspace) {
        workspace = await options.resolveWorkspace(query as { project_id?: string; workspace_path?: string });
        assertMayUseProject(caller, workspace.projectId ?? hash8(workspace.workspacePath));
      }
      // A ready answer (from here or another request's miss) skips the handler.
      const cacheable = options.answers?.enabled && req.method === 'GET' && CACHEABLE_OPERATIONS.has(id) ? options.answers : undefined;
      const scope = cacheable && (id === 'getProject' ? (await options.resolveWorkspace({ project_id: String(pathParams.project_id) })).workspacePath : answerScope(id, workspace));
      const [path, search = ''] = req.originalUrl.split('?', 2) as [string, string?];
      const key = cacheable && scope ? cacheable.keyOf(id, path, search, caller.projects) : undefined;
      if (cacheable && scope && key) {
        const hit = await cacheable.get(scope, key);
        if (hit) return sendAnswer(req, res, hit);
      }
      // Read before computing: an answer computed across a write is stored under the old generation.
      const generation = cacheable && scope ? await cacheable.generation(scope) : undefined;
      // A storable conditional GET is computed in full (sendAnswer then answers its 304), so clients
      // that only ever revalidate refill the cache after it expires instead of missing forever.
      const handlerHeaders = key && generation !== undefined ? Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'If-None-Match')) : headers;

      const reply = (await handler({ params: pathParams, query, headers: handlerHeaders, body: req.body, caller, workspace, raw: req, res })) as
        | { status: number; body?: unknown; headers?: Record<string, string>; text?: string }
        | undefined;
      // A streaming handler answered itself; the request deadline may have answered already.
      if (!reply || res.headersSent) return;
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      if (reply.text !== undefined) res.status(reply.status).send(reply.text);
      else if (reply.body === undefined) res.status(reply.status).end();
      else if (cacheable && scope && key && generation !== undefined && reply.status === 200) {
        const body = Buffer.from(JSON.stringify(reply.body));
        const answer = { generation, body, headers: { 'Content-Type': 'application/json; charset=utf-8', ...(reply.headers ?? {}) }, etag: reply.headers?.ETag };
        cacheable.set(scope, key, answer);
        if (options.validateResponses && (!answer.etag || noneMatch(req.get('if-none-match'), answer.etag))) res.status(200).json(reply.body);
        else sendAnswer(req, res, answer);
      } else res.status(reply.status).json(reply.body);
    } catch (err) {
      if (!res.headersSent) next(err);
    }
  };
}
