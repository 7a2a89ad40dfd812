/**
 * Contract conformance: every operation of openapi.yaml is exercised with every status it documents,
 * and each response is checked against the spec (status, content type, body schema, documented
 * headers such as ETag, Location, Retry-After, RateLimit-*). A documented status without a case fails
 * here, so adding a response to the spec needs a case too. 503/504 run in conformance-faults.test.ts.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/api-harness.js';
import { type Seeded, seedProject } from '../helpers/seed.js';
import { CACHEABLE_OPERATIONS } from '../../src/http/response-cache.js';
import { CONFORMANCE_ROOT, type CaseEnv, SPECIFIC_KEYS, caseFor } from './cases.js';
import { type Defaults, documentedStatuses, expectConforms, specOperations } from './contract.js';

const pairs = specOperations().flatMap((o) => documentedStatuses(o).map((status) => ({ o, status, name: `${o.operationId} ${status}` })));

describe('every documented status has a conformance case', () => {
  it('the spec documents operations and statuses', () => {
    expect(specOperations().length).toBeGreaterThan(25);
    expect(pairs.length).toBeGreaterThan(150);
  });

  it.each(pairs.map((p) => [p.name, p] as const))('%s has a case', (_name, { o, status }) => {
    expect(caseFor(o, status), `no conformance case for ${o.operationId} ${status}: add one in test/conformance/cases.ts`).toBeDefined();
  });

  it('the checker itself refuses what the spec does not allow', () => {
    const listTasks = specOperations().find((o) => o.operationId === 'listTasks')!;
    const fake = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      ({ status, body, text: JSON.stringify(body), headers: { 'content-type': 'application/json; charset=utf-8', ...headers } }) as any;
    expect(() => expectConforms(listTasks, 200, fake(200, { tasks: [] }))).toThrow(/does not match the schema/);
    expect(() => expectConforms(listTasks, 503, fake(503, { error: 'x', message: 'm', status_code: 503, request_id: 'r' }))).toThrow(/Retry-After/);
    expect(() => expectConforms(listTasks, 404, fake(404, { error: 'x', message: 'm', status_code: 404, request_id: 'r', extra: 1 }))).toThrow();
    expect(() => expectConforms(listTasks, 404, fake(404, { error: 'x', message: 'm', status_code: 404, request_id: 'r' }))).not.toThrow();
  });

  it('every specific case names a documented operation and status', () => {
    const documented = new Set(pairs.map((p) => p.name));
    expect(SPECIFIC_KEYS.filter((k) => !documented.has(k))).toEqual([]);
  });
});

function defaultsFor(s: Seeded): Defaults {
  return { projectId: s.projectId, path: { project_id: s.projectId, task_id: s.tasks.design, entity_id: s.entities.apiFile } };
}

/** A tiny stand-in for the web app's build: the serving code is what is under test here. */
function fixtureWebBuild(): string {
  const dist = mkdtempSync(path.join(os.tmpdir(), 'tva-web-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Task Viewer</title><script type="module" src="/assets/app-0123abcd.js"></script>');
  writeFileSync(path.join(dist, 'assets', 'app-0123abcd.js'), 'export {};\n');
  return dist;
}

describe('conformance on the normal service', () => {
  let env: CaseEnv;
  beforeAll(async () => {
    const h = await startHarness({ BODY_LIMIT: '16kb', CACHE_TTL_MS: '0', ALLOWED_WORKSPACE_ROOTS: CONFORMANCE_ROOT }, undefined, { webDist: fixtureWebBuild() });
    const s = await seedProject(h.call, h.tmp);
    await h.runtime.services.resolver.refresh();
    env = { h, s, d: defaultsFor(s) };
  });
  afterAll(() => env?.h.close());

  const mainPairs = pairs.filter((p) => caseFor(p.o, p.status)?.harness === 'main');
  it.each(mainPairs.map((p) => [p.name, p] as const))('%s', async (_name, { o, status }) => {
    const res = await caseFor(o, status)!.run(env, o);
    expectConforms(o, status, res);
  });
});

/**
 * The same cases on a service whose response cache is on: every GET of a cacheable operation is sent
 * twice, so the second answer comes ready-made (the fast path, or the Express path when the request
 * carries what the fast path leaves alone); both must conform, and answers must really be served.
 */
describe('conformance on cached answers', () => {
  let env: CaseEnv;
  beforeAll(async () => {
    const h = await startHarness({ BODY_LIMIT: '16kb', CACHE_TTL_MS: '600000', ALLOWED_WORKSPACE_ROOTS: CONFORMANCE_ROOT }, undefined, { webDist: fixtureWebBuild() });
    const s = await seedProject(h.call, h.tmp);
    await h.runtime.services.resolver.refresh();
    env = { h, s, d: defaultsFor(s) };
  });
  afterAll(() => env?.h.close());

  const answers = async () => (await env.h.runtime.metrics.cacheRequests.get()).values.find((v) => v.labels.result === 'answer')?.value ?? 0;
  const cachedPairs = pairs.filter((p) => p.o.method === 'get' && CACHEABLE_OPERATIONS.has(p.o.operationId) && caseFor(p.o, p.status)?.harness === 'main');
  it.each(cachedPairs.map((p) => [p.name, p] as const))('%s (twice: a miss, then a ready answer)', async (_name, { o, status }) => {
    expectConforms(o, status, await caseFor(o, status)!.run(env, o));
    expectConforms(o, status, await caseFor(o, status)!.run(env, o));
  });
  it('served ready-made answers', async () => {
    expect(await answers()).toBeGreaterThan(cachedPairs.filter((p) => p.status === 200).length / 2);
  });
});

describe('conformance with the rate limit used up', () => {
  let env: CaseEnv;
  beforeAll(async () => {
    const h: Harness = await startHarness({ MCP_POOL_SIZE: '1', RATE_LIMIT_PER_MINUTE: '1' });
    const s = await seedProject(h.call, h.tmp);
    await h.runtime.services.resolver.refresh();
    env = { h, s, d: defaultsFor(s) };
    await h.get('/api/v1/projects').expect(200);
  });
  afterAll(() => env?.h.close());

  const limitedPairs = pairs.filter((p) => caseFor(p.o, p.status)?.harness === 'limited');
  it.each(limitedPairs.map((p) => [p.name, p] as const))('%s', async (_name, { o, status }) => {
    const res = await caseFor(o, status)!.run(env, o);
    expectConforms(o, status, res);
  });
});
