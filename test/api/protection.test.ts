/** Edge protection and observability: headers, CORS, rate limits, body limits, request ids, metrics, probes. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, type Harness, startHarness } from '../helpers/api-harness.js';

const OTHER_KEY = 'other-key-123456';
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    API_KEYS: `${API_KEY},${OTHER_KEY}`,
    CORS_ORIGINS: 'https://viewer.example.com',
    BODY_LIMIT: '4kb',
    MCP_POOL_SIZE: '1',
  });
});
afterAll(() => h?.close());

describe('security headers and CORS', () => {
  it('sets helmet headers with a CSP that allows our own scripts', async () => {
    const res = await h.request.get('/health');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers CORS only for configured origins', async () => {
    const allowed = await h.request.options('/api/v1/projects').set('Origin', 'https://viewer.example.com').set('Access-Control-Request-Method', 'PATCH').set('Access-Control-Request-Headers', 'X-API-Key,If-Match');
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://viewer.example.com');
    expect(allowed.headers['access-control-allow-methods']).toBe('GET,POST,PATCH,PUT,DELETE,OPTIONS');
    expect(allowed.headers['access-control-allow-headers']).toContain('Idempotency-Key');
    expect(allowed.headers['access-control-max-age']).toBe('3600');
    const other = await h.request.get('/health').set('Origin', 'https://evil.example.com');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await h.request.get('/health').set('Origin', 'https://viewer.example.com');
    expect(simple.headers['access-control-expose-headers']).toContain('X-Request-ID');
  });
});

describe('rate limits', () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startHarness({ API_KEYS: `${API_KEY},${OTHER_KEY}`, RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_PER_HOUR: '1000', MCP_POOL_SIZE: '1' });
  });
  afterAll(() => limited?.close());

  it('lets exactly N requests per minute through per key; another key is unaffected; probes are never limited', async () => {
    const h = limited;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await h.get('/api/v1/projects')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await h.get('/api/v1/projects').expect(429);
    expect(refused.body).toMatchObject({ error: 'rate_limited', status_code: 429, retry_after: expect.any(Number) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['x-ratelimit-limit']).toBe('5');
    expect(refused.headers['ratelimit-remaining']).toBe('0');

    // Answers served ready-made count like any other (the list above was cached after its first call).
    const answered = (await h.runtime.metrics.cacheRequests.get()).values.find((v) => v.labels.result === 'answer')?.value ?? 0;
    expect(answered).toBeGreaterThan(0);
    // Routing ignores case, and so does the limit: no spelling of the path skips it.
    for (const path of ['/API/V1/PROJECTS', '/Api/V1/Projects', '/api/V1/projects']) await h.get(path).expect(429);
    await h.request.post('/API/V1/TASKS?workspace_path=/nowhere').set('X-API-Key', API_KEY).send({ title: 'x' }).expect(429);

    const other = await h.request.get('/api/v1/projects').set('X-API-Key', OTHER_KEY).expect(200);
    expect(other.headers['x-ratelimit-remaining']).toBe('4');
    for (let i = 0; i < 10; i++) await h.request.get('/health').expect(200);
    await h.request.get('/metrics').set('X-API-Key', API_KEY).expect(200);
  });

  it('limits requests without a valid key by client address', async () => {
    const h = limited;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await h.request.get('/api/v1/projects').set('X-API-Key', `guess-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });
});

describe('request hygiene', () => {
  const post = () => h.request.post('/api/v1/tasks?workspace_path=/nowhere').set('X-API-Key', OTHER_KEY);

  it('413 for bodies over the limit, 400 for malformed JSON, 415 for other types', async () => {
    const big = await post().send({ title: 'x'.repeat(8_000) });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ error: 'payload_too_large', status_code: 413 });
    const broken = await post().set('Content-Type', 'application/json').send('{"title": "unterminated');
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe('invalid_json');
    const xml = await post().set('Content-Type', 'application/xml').send('<task/>');
    expect(xml.status).toBe(415);
  });

  it('deeply nested JSON is a 4xx, not a crash', async () => {
    const deep = '['.repeat(3000) + ']'.repeat(3000);
    const res = await post().set('Content-Type', 'application/json').send(`{"title":"deep","file_references":${deep}}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('never echoes header injection in X-Request-ID', async () => {
    const res = await h.request.get('/health').set('X-Request-ID', 'abc\tdef');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('probes and metrics', () => {
  it('readiness follows the pool', async () => {
    await h.request.get('/health/ready').expect(200, { status: 'ready' });
    const health = await h.request.get('/health').expect(200);
    expect(health.body.circuit_breaker).toEqual({ target: 'embedded', state: 'closed' });
  });

  it('serves Prometheus metrics with route templates, behind the API key, without keys in them', async () => {
    await h.request.get('/metrics').expect(401);
    await h.request.get('/api/v1/tasks/12345?workspace_path=/nowhere').set('X-API-Key', OTHER_KEY);
    const res = await h.request.get('/metrics').set('X-API-Key', OTHER_KEY).expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.text;
    for (const name of ['http_requests_total', 'http_request_duration_seconds_bucket', 'mcp_tool_calls_total', 'mcp_tool_duration_seconds', 'mcp_pool_sessions', 'mcp_pool_wait_seconds', 'circuit_breaker_state', 'cache_requests_total', 'process_cpu_seconds_total']) {
      expect(text).toContain(name);
    }
    expect(text).toContain('route="/api/v1/tasks/{task_id}"');
    expect(text).not.toContain('12345');
    expect(text).toMatch(/mcp_pool_sessions\{state="idle"\} \d/);
    for (const secret of [API_KEY, OTHER_KEY, createHash('sha256').update(API_KEY).digest('hex')]) expect(text).not.toContain(secret);
  });

  it('compresses responses over 1 KB', async () => {
    const res = await h.request.get('/metrics').set('X-API-Key', OTHER_KEY).set('Accept-Encoding', 'gzip');
    expect(res.headers['content-encoding']).toBe('gzip');
    const small = await h.request.get('/health/ready').set('Accept-Encoding', 'gzip');
    expect(small.headers['content-encoding']).toBeUndefined();
  });
});
