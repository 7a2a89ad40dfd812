/**
 * The API's own documentation: Swagger UI (from the installed swagger-ui-dist, no CDN) and the
 * OpenAPI document as YAML and JSON. These are spec'd operations like any other (see the Docs tag in
 * openapi.yaml), so the validator routes them and nothing undocumented is served.
 *
 * helmet's CSP allows scripts only from 'self': the page has no inline script, its initializer is
 * the served `docs-init.js`. Asset URLs are relative to `/api/docs`, so the page also works behind a
 * path prefix.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'yaml';
import type { OperationHandlers } from '../http/typed-routes.js';
import { OPENAPI_PATH } from '../version.js';

const swaggerUiDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Task Viewer API</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/swagger-ui-bundle.js"></script>
  <script src="docs/docs-init.js"></script>
</body>
</html>
`;

const INITIALIZER = `// Swagger UI for the Task Viewer API (a served file: the CSP allows no inline scripts).
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: 'openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    // No calls to the public validator badge service.
    validatorUrl: null,
    displayOperationId: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

type Asset = 'swagger-ui.css' | 'swagger-ui-bundle.js' | 'docs-init.js';

interface Loaded {
  text: string;
  type: string;
}

export function docsHandlers() {
  const specYaml = readFileSync(OPENAPI_PATH, 'utf8');
  const specJson = parse(specYaml) as { openapi: string; info: Record<string, unknown>; paths: Record<string, unknown> };
  // Assets are read once, on first use (the bundle is ~1.5 MB).
  const assets = new Map<Asset, Loaded>();
  const asset = (name: Asset): Loaded => {
    let loaded = assets.get(name);
    if (!loaded) {
      const text = name === 'docs-init.js' ? INITIALIZER : readFileSync(path.join(swaggerUiDir, name), 'utf8');
      loaded = { text, type: name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8' };
      assets.set(name, loaded);
    }
    return loaded;
  };

  return {
    getDocs: async () => ({
      status: 200 as const,
      body: undefined,
      text: PAGE,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' },
    }),

    getDocsAsset: async ({ params }) => {
      const { text, type } = asset(params.asset);
      return { status: 200 as const, body: undefined, text, headers: { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600' } };
    },

    getOpenApiYaml: async () => ({
      status: 200 as const,
      body: undefined,
      text: specYaml,
      headers: { 'Content-Type': 'application/yaml; charset=utf-8' },
    }),

    getOpenApiJson: async () => ({ status: 200 as const, body: specJson }),
  } satisfies Partial<OperationHandlers>;
}
