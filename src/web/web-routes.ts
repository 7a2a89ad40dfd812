/**
 * The Task Viewer web app, served by the service: `GET /` is the built page
 * (clients/task-viewer-web/dist/index.html, never cached: `no-cache` makes browsers revalidate, and
 * Express answers 304 from its ETag), `GET /assets/{asset}` its content-hashed files, cached for a
 * year as immutable. Before `npm run build` has built the app, `/` is a short page saying how to
 * build it and pointing to `/api/docs`.
 *
 * The CSP (src/http/protection.ts) allows scripts from 'self' only: Vite's build has no inline
 * script, and neither has the fallback page. The page is read on every request (it is small), so an
 * app built while the service runs is picked up; assets are read once and kept, since a hashed name
 * never changes its content. Assets are sent as bytes (a font is not text), so the handler answers
 * through `res` itself.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError } from '../domain/errors.js';
import type { OperationHandlers } from '../http/typed-routes.js';
import { PROJECT_ROOT } from '../version.js';

export const WEB_APP_DIR = path.join(PROJECT_ROOT, 'clients', 'task-viewer-web', 'dist');

const NOT_BUILT = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Task Viewer: not built yet</title>
  <link rel="icon" href="data:,">
</head>
<body>
  <main>
    <h1>Task Viewer API</h1>
    <p>The web viewer has not been built yet. Build it with <code>npm run build</code> (or start with
    <code>npm start</code>, which builds first), then reload this page.</p>
    <p>The API works already: its interactive documentation is at <a href="api/docs">/api/docs</a>,
    the OpenAPI document at <a href="api/openapi.yaml">/api/openapi.yaml</a>.</p>
  </main>
</body>
</html>
`;

/** The file types openapi.yaml lists for `/assets/{asset}` (today's build emits only scripts and styles). */
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

const HTML_HEADERS = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' };
const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
const MAX_CACHED_ASSETS = 500;

/** Handlers for `/` and `/assets/{asset}`; `dir` is the built app (its index.html and assets/). */
export function webHandlers(dir = WEB_APP_DIR) {
  const assets = new Map<string, { bytes: Buffer; type: string }>();

  const notFound = (name: string) => new NotFoundError(`The web app has no file ${name}${assets.size === 0 ? ' (is it built? npm run build)' : ''}`);

  return {
    getWebApp: async () => {
      let text: string;
      try {
        text = await readFile(path.join(dir, 'index.html'), 'utf8');
      } catch {
        text = NOT_BUILT;
      }
      return { status: 200 as const, body: undefined, text, headers: HTML_HEADERS };
    },

    getWebAsset: async ({ params, res }) => {
      const name = params.asset;
      // The spec's pattern already keeps out `/` and a leading dot; this is the second lock on the door.
      if (path.basename(name) !== name || name.includes('..')) throw notFound(name);
      const type = TYPES[path.extname(name)];
      if (!type) throw notFound(name);
      let asset = assets.get(name);
      if (!asset) {
        try {
          asset = { bytes: await readFile(path.join(dir, 'assets', name)), type };
        } catch {
          throw notFound(name);
        }
        if (assets.size >= MAX_CACHED_ASSETS) assets.delete(assets.keys().next().value!);
        assets.set(name, asset);
      }
      res.setHeader('Content-Type', asset.type);
      res.setHeader('Cache-Control', ASSET_CACHE_CONTROL);
      // Express adds an ETag and answers 304 to a matching If-None-Match.
      res.status(200).send(asset.bytes);
      return undefined;
    },
  } satisfies Partial<OperationHandlers>;
}
