/**
 * HTTP method details the OpenAPI validator leaves out: `HEAD` answers like `GET` without a body (RFC
 * 9110; load balancers probe with it), and a 405 names the allowed methods in `Allow`.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';

/** Runs HEAD requests as GET: Node already leaves the body out of a response to HEAD. */
export function headAsGet(): RequestHandler {
  return (req, _res, next) => {
    if (req.method === 'HEAD') req.method = 'GET';
    next();
  };
}

/** The methods each spec path allows (with HEAD beside GET), matched by path template. */
export function allowedMethods(specPath: string): (path: string) => string[] | undefined {
  const spec = parse(readFileSync(specPath, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const routes = Object.entries(spec.paths).map(([template, item]) => {
    const methods = Object.keys(item).filter((m) => ['get', 'put', 'post', 'patch', 'delete'].includes(m)).map((m) => m.toUpperCase());
    if (methods.includes('GET')) methods.push('HEAD');
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\\{[^}]+\\\}|\{[^}]+\}/g, '[^/]+')}$`, 'i');
    return { pattern, methods };
  });
  return (path) => routes.find((r) => r.pattern.test(path))?.methods;
}

/** Adds `Allow` to the validator's 405 before the error middleware renders it. */
export function allowHeaderOn405(methodsOf: (path: string) => string[] | undefined): ErrorRequestHandler {
  return (err, req, res, next) => {
    if ((err as { status?: number })?.status === 405) {
      const methods = methodsOf(req.path);
      if (methods) res.setHeader('Allow', methods.join(', '));
    }
    next(err);
  };
}
