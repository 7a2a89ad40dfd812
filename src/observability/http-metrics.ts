/** HTTP request metrics by route template (never the raw URL), for both request paths. */
import type { Request, RequestHandler } from 'express';
import type { Metrics } from './metrics.js';
import { onFinished } from './on-finished.js';

/** The spec's path template for a matched request (e.g. /api/v1/tasks/{task_id}); never the raw URL. */
export function routeTemplate(req: Request): string {
  const info = (req as Request & { openapi?: { openApiRoute?: string } }).openapi;
  return info?.openApiRoute ?? 'unmatched';
}

export function observeRequest(metrics: Metrics, method: string, route: string, status: number, ms: number): void {
  const labels = { method, route, status: String(status) };
  metrics.httpRequests.inc(labels);
  metrics.httpDuration.observe(labels, ms / 1000);
}

export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    onFinished(req, res, (ms) => observeRequest(metrics, req.method, routeTemplate(req), res.statusCode, ms));
    next();
  };
}
