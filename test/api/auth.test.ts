/** API keys: every operation the spec protects refuses a missing or wrong key, and only those. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, type Harness, startHarness } from '../helpers/api-harness.js';
import { concretePath, specOperations } from '../helpers/spec.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const operations = specOperations();

describe('authentication', () => {
  it('the spec protects everything except health probes, the docs and the web app', () => {
    const open = operations.filter((o) => !o.secured).map((o) => o.path);
    expect(open.every((p) => p.startsWith('/health') || p.startsWith('/api/docs') || p.startsWith('/api/openapi.') || p === '/' || p.startsWith('/assets/'))).toBe(true);
    expect(operations.filter((o) => o.secured).length).toBeGreaterThan(10);
  });

  it.each(operations.filter((o) => o.secured).map((o) => [o.operationId, o] as const))('%s requires a valid X-API-Key', async (_id, op) => {
    const url = concretePath(op.path);
    const call = (req: any) => req[op.method](url).send(op.method === 'get' ? undefined : {});
    for (const res of [await call(h.request), await call(h.request).set('X-API-Key', 'wrong-key')]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'unauthorized', status_code: 401, request_id: expect.any(String) });
      expect(JSON.stringify(res.body)).not.toContain('wrong-key');
    }
  });

  it('accepts keys given as sha256 digests', async () => {
    const { createHash } = await import('node:crypto');
    const digest = createHash('sha256').update('another-key').digest('hex');
    const other = await startHarness({ API_KEYS: '', API_KEY_HASHES: digest, MCP_POOL_SIZE: '1' });
    try {
      await other.request.get('/api/v1/projects').set('X-API-Key', 'another-key').expect(200);
      await other.request.get('/api/v1/projects').set('X-API-Key', API_KEY).expect(401);
    } finally {
      await other.close();
    }
  });
});
