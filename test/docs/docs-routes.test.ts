/** The docs routes: Swagger UI page and assets from swagger-ui-dist, the spec as YAML and JSON, all without a key. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/api-harness.js';
import { OPENAPI_PATH } from '../../src/version.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ MCP_POOL_SIZE: '1' });
});
afterAll(() => h?.close());

describe('docs routes', () => {
  it('serves the Swagger UI page without inline scripts, under a CSP that allows only self scripts', async () => {
    const res = await h.request.get('/api/docs').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<div id="swagger-ui">');
    // Every <script> has a src: helmet's CSP forbids inline scripts.
    const scripts = [...res.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="docs\//);
      expect(body.trim()).toBe('');
    }
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it.each([
    ['swagger-ui.css', /^text\/css/],
    ['swagger-ui-bundle.js', /^text\/javascript/],
    ['docs-init.js', /^text\/javascript/],
  ])('serves %s', async (asset, type) => {
    const res = await h.request.get(`/api/docs/${asset}`).expect(200);
    expect(res.headers['content-type']).toMatch(type);
    expect(res.text.length).toBeGreaterThan(100);
  });

  it('serves swagger-ui-dist files byte for byte (no CDN, the installed package)', async () => {
    const res = await h.request.get('/api/docs/swagger-ui.css').expect(200);
    const dir = new URL('../../node_modules/swagger-ui-dist/', import.meta.url);
    expect(res.text).toBe(readFileSync(new URL('swagger-ui.css', dir), 'utf8'));
  });

  it('refuses other files under /api/docs in the error format', async () => {
    for (const asset of ['package.json', '..%2F..%2Fpackage.json', 'index.html']) {
      const res = await h.request.get(`/api/docs/${asset}`);
      expect([400, 404]).toContain(res.status);
      expect(res.body).toMatchObject({ status_code: res.status });
    }
  });

  it('serves the spec as YAML and JSON, the same document', async () => {
    const yaml = await h.request.get('/api/openapi.yaml').expect(200);
    expect(yaml.headers['content-type']).toMatch(/^application\/yaml/);
    expect(yaml.text).toBe(readFileSync(OPENAPI_PATH, 'utf8'));
    const json = await h.request.get('/api/openapi.json').expect(200);
    expect(json.body).toEqual(parse(yaml.text));
  });
});
