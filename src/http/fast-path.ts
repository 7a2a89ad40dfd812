/**
 * The fast path: a GET whose answer is in the response cache is served before Express runs, with the
 * same protections as every other request, through the same code — the API key (by digest), the key's
 * project scope, both rate limits, the request id, the security headers, `If-None-Match`, the metrics
 * and the one log line. Anything it is not sure about (no or a bad key, a refused limit, an Origin
 * header (CORS), a `workspace_path`, shutting down, a miss) it leaves to the Express path, which then
 * answers exactly as it always did. The conformance, negative and protection tests run against hits
 * and misses alike (docs/decisions/0011-fast-path.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { mayUseProject } from '../domain/access.js';
import { noneMatch } from '../domain/etag.js';
import type { Metrics } from '../observability/metrics.js';
import { observeRequest } from '../observability/http-metrics.js';
import { onFinished } from '../observability/on-finished.js';
import { logRequest } from '../observability/request-log.js';
import type { Logger } from 'pino';
import type { ResolvedWorkspace, WorkspaceResolver } from '../service/workspace-resolver.js';
import { PROJECTS_SCOPE } from '../service/tool-backend.js';
import { hash8 } from '../taskmcp/paths.js';
import type { ApiKeyVerifier } from './api-keys.js';
import type { Drain } from './drain.js';
import { writeErrorReply, toErrorReply } from './error-format.js';
import { applySecurityHeaders } from './protection.js';
import { type RateLimiter, applyRateHeaders, limitKeyOf } from './rate-limit.js';
import { requestIdOf } from './request-id.js';
import { CACHEABLE_OPERATIONS, type ResponseCache } from './response-cache.js';

interface HeaderRule {
  /** Lower case, as Node keys request headers. */
  name: string;
  maxLength?: number;
  pattern?: RegExp;
}

interface Route {
  operationId: string;
  template: string;
  pattern: RegExp;
  params: string[];
  /** The operation's header parameters with their string rules (a request breaking one goes to Express, which answers 400). */
  headers: HeaderRule[];
}

type SpecParam = { $ref?: string; name: string; in: string; schema?: { maxLength?: number; pattern?: string } };

/** The cacheable GET routes of the spec, as patterns (the fast path only ever serves these). */
export function cacheableRoutes(specPath: string): Route[] {
  const spec = parse(readFileSync(specPath, 'utf8')) as {
    paths: Record<string, { get?: { operationId?: string; parameters?: SpecParam[] } }>;
    components: { parameters: Record<string, SpecParam> };
  };
  const deref = (p: SpecParam) => (p.$ref ? spec.components.parameters[p.$ref.split('/').pop()!]! : p);
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    const id = item.get?.operationId;
    if (!id || !CACHEABLE_OPERATIONS.has(id)) continue;
    const params: string[] = [];
    const source = template.replace(/\{([^}]+)\}/g, (_m, name: string) => (params.push(name), '([^/]+)'));
    const headers = (item.get!.parameters ?? [])
      .map(deref)
      .filter((p) => p.in === 'header')
      .map((p) => ({ name: p.name.toLowerCase(), maxLength: p.schema?.maxLength, pattern: p.schema?.pattern ? new RegExp(p.schema.pattern, 'u') : undefined }));
    routes.push({ operationId: id, template, pattern: new RegExp(`^${source}$`, 'i'), params, headers });
  }
  // Literal paths before templated ones (`/tasks/search` before `/tasks/{task_id}`).
  return routes.sort((a, b) => a.params.length - b.params.length);
}

/** Which read-cache scope an operation's answer belongs to, as the Express path resolves it too. */
export function answerScope(operationId: string, ws: ResolvedWorkspace | undefined): string | undefined {
  if (operationId === 'listProjects') return PROJECTS_SCOPE;
  return ws?.workspacePath;
}

export interface FastPathDeps {
  specPath: string;
  verifier: ApiKeyVerifier;
  limiter: RateLimiter;
  cache: ResponseCache;
  resolver: Pick<WorkspaceResolver, 'resolveKnown' | 'projects'>;
  metrics: Metrics;
  log: Logger;
  drain?: Drain;
}

export class FastPath {
  private readonly routes: Route[];

  constructor(private readonly deps: FastPathDeps) {
    this.routes = cacheableRoutes(deps.specPath);
  }

  /** Serves the request from the response cache and returns true, or returns false having written nothing. */
  async tryServe(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const { deps } = this;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.headers.origin || !deps.cache.enabled || deps.drain?.isDraining) return false;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const search = q < 0 ? '' : url.slice(q + 1);
    if (!/^\/api\/v1\//i.test(path)) return false;
    const route = this.routes.find((r) => r.pattern.test(path));
    if (!route) return false;

    for (const rule of route.headers) {
      const value = req.headers[rule.name];
      if (value === undefined) continue;
      if (typeof value !== 'string' || (rule.maxLength !== undefined && value.length > rule.maxLength) || (rule.pattern && !rule.pattern.test(value))) return false;
    }
    const caller = deps.verifier.verify(req.headers['x-api-key'] as string | undefined);
    if (!caller) return false;
    const query = new URLSearchParams(search);
    if (query.has('workspace_path')) return false;
    const match = route.pattern.exec(path)!;
    const pathParams = Object.fromEntries(route.params.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
    let ws: ResolvedWorkspace | undefined;
    if (route.operationId === 'getProject') {
      ws = deps.resolver.resolveKnown({ project_id: pathParams.project_id });
      if (!ws) return false;
    } else if (route.operationId !== 'listProjects') {
      ws = deps.resolver.resolveKnown({ project_id: query.get('project_id') ?? undefined });
      if (!ws) return false;
    }
    if (ws && !mayUseProject(caller, ws.projectId ?? hash8(ws.workspacePath))) return false;
    const scope = answerScope(route.operationId, ws)!;
    const entry = await deps.cache.get(scope, deps.cache.keyOf(route.operationId, path, search, caller.projects));
    if (!entry) return false;

    // A hit: from here on this path answers, with every protection the Express path applies.
    const requestId = requestIdOf(req.headers['x-request-id']);
    const method = req.method;
    onFinished(req, res, (ms) => {
      observeRequest(deps.metrics, method, route.template, res.statusCode, ms);
      logRequest(deps.log, { method, url, route: route.template, status: res.statusCode, ms, requestId, keyId: caller.id });
    });
    res.setHeader('X-Request-ID', requestId);
    applySecurityHeaders(res);
    const verdict = await deps.limiter.consume(limitKeyOf(caller.id, undefined));
    applyRateHeaders(res, verdict);
    if (!verdict.allowed) {
      writeErrorReply(res, toErrorReply(verdict.error)!, requestId);
      return true;
    }
    for (const [name, value] of Object.entries(entry.headers)) res.setHeader(name, value);
    res.setHeader('Vary', 'Accept-Encoding');
    if (entry.etag && !noneMatch(req.headers['if-none-match'] as string | undefined, entry.etag)) {
      res.writeHead(304).end();
      return true;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) ? deps.cache.gzipOf(entry) : undefined;
    const body = gzip ?? entry.body;
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', body.length);
    res.writeHead(200);
    res.end(method === 'HEAD' ? undefined : body);
    return true;
  }
}

/** Node's request handler: the fast path first, Express for everything else. */
export function requestHandler(fast: FastPath | undefined, express: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void {
  if (!fast) return express;
  return (req, res) => {
    fast.tryServe(req, res).then(
      (served) => {
        if (!served) express(req, res);
      },
      () => {
        if (!res.headersSent) express(req, res);
      },
    );
  };
}
