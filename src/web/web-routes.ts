/**
 * The Task Viewer web app (clients/task-viewer-web), served by the service: `/` is its page (never
 * cached), `/assets/*` its content-hashed files (cached for a year). Before the app is built, `/`
 * answers a short page that says how to build it and points to the API docs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NotFoundError } from '../domain/errors.js';
import type { OperationHandlers } from '../http/typed-routes.js';
import { PROJECT_ROOT } from '../version.js';

export const WEB_DIST = path.join(PROJECT_ROOT, 'clients', 'task-viewer-web', 'dist');

const NOT_BUILT = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Task Viewer</title></head>
<body>
<main>
<h1>Task Viewer API</h1>
<p>The web app has not been built yet: run <code>npm run build</code>, then reload.</p>
<p>The API itself is ready: see the interactive documentation at <a href="/api/docs">/api/docs</a>.</p>
</main>
</body>
</html>
`;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.json': 'application/json',
};

export function webHandlers(dist = WEB_DIST) {
  const page = () => (existsSync(path.join(dist, 'index.html')) ? readFileSync(path.join(dist, 'index.html'), 'utf8') : NOT_BUILT);
  return {
    getWebApp: async () => ({
      status: 200 as const,
      body: undefined,
      text: page(),
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' },
    }),

    getWebAsset: async ({ params, res }) => {
      const file = path.join(dist, 'assets', params.asset);
      const type = TYPES[path.extname(file)];
      if (!type || !existsSync(file)) throw new NotFoundError(`No such asset: ${params.asset}`);
      res.setHeader('Content-Type', type);
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.status(200).send(readFileSync(file));
      return undefined;
    },
  } satisfies Partial<OperationHandlers>;
}
