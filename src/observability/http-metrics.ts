import type { Request, RequestHandler } from 'express';
import type { Metrics } from './metrics.js';

/** The spec's path template for a matched request (e.g. /api/v1/tasks/{task_id}); never the raw URL. */
export function routeTemplate(req: Request): string {
  const info = (req as Request & { openapi?: { openApiRoute?: string } }).openapi;
  return info?.openApiRoute ?? 'unmatched';
}

export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const labels = { method: req.method, route: routeTemplate(req), status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
