/**
 * Serving the web app (src/web/web-routes.ts) through the real request path pieces: the OpenAPI
 * validator routes `/` and `/assets/{asset}` to their handlers by operationId, helmet adds the CSP.
 * Checks the fallback page before a build, the built page's `no-cache`, the assets' year-long
 * immutable caching, 304 revalidation, content types, and 404s for unknown or unsafe names.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { pino } from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, notFoundHandler } from '../../src/http/error-handler.js';
import { securityHeaders } from '../../src/http/protection.js';
import { requestId } from '../../src/http/request-id.js';
import { type OperationHandlers, dispatch } from '../../src/http/typed-routes.js';
import { OPENAPI_PATH } from '../../src/version.js';
import { webHandlers } from '../../src/web/web-routes.js';

function appFor(dir: string) {
  const app = express();
  app.use(requestId());
  app.use(securityHeaders());
  app.use(OpenApiValidator.middleware({ apiSpec: OPENAPI_PATH, validateRequests: { allowUnknownQueryParameters: false }, validateResponses: false, validateSecurity: false }));
  // Only the two web operations are under test; the others are not reached.
  app.use(
    dispatch(webHandlers(dir) as unknown as OperationHandlers, {
      resolveWorkspace: () => Promise.reject(new Error('the web routes name no workspace')),
    }),
  );
  app.use(notFoundHandler());
  app.use(errorHandler(pino({ level: 'silent' })));
  return supertest(app);
}

describe('web app routes', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'tva-web-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('answers a short page pointing to /api/docs before the app is built, under the CSP', async () => {
    const request = appFor(path.join(tmp, 'not-built'));
    const res = await request.get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toContain('npm run build');
    expect(res.text).toContain('href="api/docs"');
    expect(res.text).not.toContain('<script');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const asset = await request.get('/assets/index-abc123.js');
    expect(asset.status).toBe(404);
    expect(asset.body).toMatchObject({ error: 'not_found', status_code: 404 });
  });

  it('serves the built page (no-cache, 304 on revalidation) and hashed assets cached for a year', async () => {
    const dir = path.join(tmp, 'dist');
    mkdirSync(path.join(dir, 'assets'), { recursive: true });
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html lang="en"><head><title>Task Viewer</title><script type="module" src="./assets/index-AbC_1-x.js"></script></head><body><div id="root"></div></body></html>');
    writeFileSync(path.join(dir, 'assets', 'index-AbC_1-x.js'), 'console.log("app");');
    writeFileSync(path.join(dir, 'assets', 'index-Q9.css'), 'body{margin:0}');
    writeFileSync(path.join(dir, 'assets', 'secret.txt'), 'not an app file');
    const font = Buffer.from([0x77, 0x4f, 0x46, 0x32, 0x00, 0xff, 0x80, 0x01]);
    writeFileSync(path.join(dir, 'assets', 'ui-3f.woff2'), font);
    const request = appFor(dir);

    const page = await request.get('/');
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.text).toContain('<div id="root">');
    expect(page.headers.etag).toBeTruthy();
    const again = await request.get('/').set('If-None-Match', page.headers.etag!);
    expect(again.status).toBe(304);

    const js = await request.get('/assets/index-AbC_1-x.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.text).toBe('console.log("app");');
    const css = await request.get('/assets/index-Q9.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.text).toBe('body{margin:0}');

    const woff = await request.get('/assets/ui-3f.woff2').buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(woff.headers['content-type']).toBe('font/woff2');
    expect(Buffer.compare(woff.body as Buffer, font)).toBe(0);
    const revalidated = await request.get('/assets/index-Q9.css').set('If-None-Match', css.headers.etag!);
    expect(revalidated.status).toBe(304);

    // Not an app file type, not there, or not a plain name: 404 or 400, never a file from elsewhere.
    expect((await request.get('/assets/secret.txt')).status).toBe(404);
    expect((await request.get('/assets/missing-1.js')).status).toBe(404);
    expect([400, 404]).toContain((await request.get('/assets/..%2Findex.html')).status);
    expect([400, 404]).toContain((await request.get('/assets/.hidden.js')).status);
  });
});
