/**
 * Handlers keyed by the spec's operationIds and typed from the generated `operations`: the compiler
 * checks path params, query, body and every response body against openapi.yaml, and a spec operation
 * without a handler fails `tsc` (OperationHandlers has every operationId as a required key).
 * Routing itself comes from the spec: express-openapi-validator matches the request to an operation
 * (and validates it) first; `dispatch` then runs that operation's handler. Nothing the spec does not
 * describe can be served.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { operations } from '../../generated/openapi.js';

type Params<O> = O extends { parameters: { path?: infer X } } ? ([X] extends [undefined] ? object : NonNullable<X>) : object;
type Query<O> = O extends { parameters: { query?: infer X } } ? ([X] extends [undefined] ? object : NonNullable<X>) : object;
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

export interface TypedRequest<O> {
  params: Params<O>;
  query: Query<O>;
  body: Body<O>;
  /** The raw Express request, for what the spec does not model (e.g. the caller's identity). */
  raw: Request;
  res: Response;
}

export type TypedHandler<O> = (req: TypedRequest<O>) => Promise<Reply<O>>;
export type OperationId = keyof operations;
export type OperationHandlers = { [K in OperationId]: TypedHandler<operations[K]> };

interface OpenApiRequestInfo {
  openapi?: { schema?: { operationId?: string }; pathParams?: Record<string, unknown> };
}

export function dispatch(handlers: OperationHandlers): RequestHandler {
  const byId = handlers as Record<string, TypedHandler<unknown>>;
  return async (req, res, next) => {
    const info = (req as Request & OpenApiRequestInfo).openapi;
    const handler = info?.schema?.operationId ? byId[info.schema.operationId] : undefined;
    if (!handler) return next();
    try {
      const reply = (await handler({
        // The validator has already coerced path and query values to the spec's types.
        params: (info?.pathParams ?? req.params) as never,
        query: req.query as never,
        body: req.body as never,
        raw: req,
        res,
      })) as { status: number; body?: unknown; headers?: Record<string, string>; text?: string };
      // The request deadline may have answered already; a late result has nowhere to go.
      if (res.headersSent) return;
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      if (reply.text !== undefined) res.status(reply.status).send(reply.text);
      else if (reply.body === undefined) res.status(reply.status).end();
      else res.status(reply.status).json(reply.body);
    } catch (err) {
      if (!res.headersSent) next(err);
    }
  };
}
