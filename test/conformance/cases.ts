/**
 * One conformance case for every (operation, documented status) of openapi.yaml. A case says which
 * harness it needs and how to provoke that status. Specific cases are keyed "operationId status";
 * statuses that every operation reaches the same way (400, 401, 403, 404, 413, 415, 429, 503, 504)
 * have generic builders that apply where the operation has what they need. A documented status with
 * neither fails the coverage test, so the spec and this suite cannot drift apart.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type supertest from 'supertest';
import { API_KEY, type Harness, SCOPED_KEY } from '../helpers/api-harness.js';
import type { Seeded } from '../helpers/seed.js';
import { type Defaults, type SpecOperation, hasParam, op as opById, send } from './contract.js';

/**
 * main: the normal service (BODY_LIMIT 16kb); limited: RATE_LIMIT_PER_MINUTE=1, already used up;
 * slow: one MCP session whose tools take longer than REQUEST_TIMEOUT_MS, MCP_MAX_WAITING=0;
 * slowClosed: the slow harness after its session pool was shut down (no MCP session at all).
 */
export type HarnessKind = 'main' | 'limited' | 'slow' | 'slowClosed';

export interface CaseEnv {
  h: Harness;
  d: Defaults;
  /** Seeded data (main harness only). */
  s: Seeded;
}

export interface Case {
  harness: HarnessKind;
  run(env: CaseEnv, op: SpecOperation): Promise<supertest.Response>;
}

const main = (run: Case['run']): Case => ({ harness: 'main', run });
const BODY_OPS = new Set(['createTask', 'updateTask', 'createEntity', 'updateEntity', 'updateProject', 'createProject']);
/** The main harness's ALLOWED_WORKSPACE_ROOTS (see conformance.test.ts). */
export const CONFORMANCE_ROOT = '/tmp/tva-conformance-root';

/**
 * An event stream's first bytes as a response the checker can read: the app listens on a free port,
 * fetch reads until the first event arrives, then the stream is closed.
 */
async function firstEvents(h: Harness, url: string, headers: Record<string, string> = {}): Promise<supertest.Response> {
  const server = createServer(h.app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const abort = new AbortController();
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${url}`, { headers: { 'X-API-Key': API_KEY, ...headers }, signal: abort.signal });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    return { status: res.status, headers: Object.fromEntries(res.headers), text, body: undefined } as unknown as supertest.Response;
  } finally {
    abort.abort();
    server.closeAllConnections();
    server.close();
  }
}
const STALE = '"stale-etag"';

async function freshTask({ h, d }: CaseEnv, title = 'Conformance scratch task'): Promise<number> {
  const res = await send(h.request, opById('createTask'), d, { body: { title } });
  if (res.status !== 201) throw new Error(`setup: createTask ${res.status}`);
  return res.body.id;
}
async function freshEntity({ h, d }: CaseEnv, body: Record<string, unknown> = { entity_type: 'other', name: 'Conformance scratch entity' }): Promise<number> {
  const res = await send(h.request, opById('createEntity'), d, { body });
  if (res.status !== 201) throw new Error(`setup: createEntity ${res.status}`);
  return res.body.id;
}
async function etagOf(env: CaseEnv, operationId: string, path: Record<string, string | number>): Promise<string> {
  const res = await send(env.h.request, opById(operationId), env.d, { path });
  if (!res.headers.etag) throw new Error(`setup: ${operationId} gave no ETag`);
  return res.headers.etag;
}

let uniq = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++uniq}`;

/** Cases specific to one operation and status. */
const SPECIFIC: Record<string, Case> = {
  // Health and docs (no key needed).
  'getHealth 200': main(({ h }) => h.request.get('/health')),
  'getReadiness 200': main(({ h }) => h.request.get('/health/ready')),
  'getHealth 503': { harness: 'slowClosed', run: ({ h }) => h.request.get('/health') },
  'getReadiness 503': { harness: 'slowClosed', run: ({ h }) => h.request.get('/health/ready') },
  'getMetrics 200': main(({ h, d }, o) => send(h.request, o, d)),
  'getDocs 200': main(({ h, d }, o) => send(h.request, o, d, { key: null })),
  'getDocsAsset 200': main(({ h, d }, o) => send(h.request, o, d, { key: null, path: { asset: 'swagger-ui.css' } })),
  'getOpenApiYaml 200': main(({ h, d }, o) => send(h.request, o, d, { key: null })),
  'getOpenApiJson 200': main(({ h, d }, o) => send(h.request, o, d, { key: null })),
  'getDocsAsset 400': main(({ h, d }, o) => send(h.request, o, d, { key: null, path: { asset: 'package.json' } })),
  'getMetrics 403': main(({ h, d }, o) => send(h.request, o, d, { key: SCOPED_KEY })),

  // The web app (the main harness serves a small fixture build).
  'getWebApp 200': main(({ h, d }, o) => send(h.request, o, d, { key: null })),
  'getWebAsset 200': main(({ h, d }, o) => send(h.request, o, d, { key: null, path: { asset: 'app-0123abcd.js' } })),
  'getWebAsset 404': main(({ h, d }, o) => send(h.request, o, d, { key: null, path: { asset: 'missing-0123abcd.js' } })),

  // Events and the caller.
  'streamEvents 200': main(({ h, d }) => firstEvents(h, `/api/v1/events?project_id=${d.projectId}`)),
  'streamEvents 403': main(({ h, d }, o) => send(h.request, o, d, { key: SCOPED_KEY, query: { project_id: d.projectId } })),
  'streamEvents 404': main(({ h, d }, o) => send(h.request, o, d, { query: { project_id: 'deadbeef' } })),
  // Concurrent registry lookups share one call, so the queue-full 503 cannot be reached here: with no session at all, it can.
  'streamEvents 503': { harness: 'slowClosed', run: ({ h, d }, o) => send(h.request, o, d, { query: { project_id: 'deadbeef' } }) },
  'createProject 503': { harness: 'slowClosed', run: ({ h, d }, o) => send(h.request, o, d) },
  'streamEvents 504': { harness: 'slow', run: ({ h, d }, o) => send(h.request, o, d, { query: { project_id: 'deadbeef' } }) },
  'createEventsToken 201': main(({ h, d }, o) => send(h.request, o, d)),
  'getMe 200': main(({ h, d }, o) => send(h.request, o, d)),

  // Projects.
  'listProjects 200': main(({ h, d }, o) => send(h.request, o, d)),
  'createProject 201': main(({ h, d }, o) => send(h.request, o, d, { body: { workspace_path: `${CONFORMANCE_ROOT}/${unique('new')}`, friendly_name: 'New' } })),
  'createProject 200': main(async ({ h, d, s }, o) => send(h.request, o, d, { body: { workspace_path: s.workspace } })),
  'createProject 403': main(({ h, d }, o) => send(h.request, o, d, { body: { workspace_path: '/not/under/any/allowed/root' } })),
  'getProject 200': main(({ h, d }, o) => send(h.request, o, d)),
  'getProject 304': main(async (env, o) => send(env.h.request, o, env.d, { headers: { 'If-None-Match': await etagOf(env, 'getProject', {}) } })),
  'updateProject 200': main(({ h, d }, o) => send(h.request, o, d, { body: { friendly_name: 'Alpha' } })),
  'updateProject 412': main(({ h, d }, o) => send(h.request, o, d, { body: { friendly_name: 'Alpha' }, headers: { 'If-Match': STALE } })),

  // Tasks.
  'listTasks 200': main(({ h, d }, o) => send(h.request, o, d, { query: { limit: 2 } })),
  'createTask 201': main(({ h, d }, o) => send(h.request, o, d)),
  'createTask 409': main(({ h, d }, o) => send(h.request, o, d, { body: { title: 'Orphan', parent_task_id: 999_999 } })),
  'createTask 422': main(async ({ h, d }, o) => {
    const key = unique('conformance-idem');
    await send(h.request, o, d, { headers: { 'Idempotency-Key': key }, body: { title: 'First body' } });
    return send(h.request, o, d, { headers: { 'Idempotency-Key': key }, body: { title: 'Another body' } });
  }),
  'searchTasks 200': main(({ h, d }, o) => send(h.request, o, d)),
  'getNextTasks 200': main(({ h, d }, o) => send(h.request, o, d)),
  'getBlockedTasks 200': main(({ h, d }, o) => send(h.request, o, d)),
  'getTask 200': main(({ h, d }, o) => send(h.request, o, d, { query: { include: 'entities' } })),
  'getTask 304': main(async (env, o) => send(env.h.request, o, env.d, { headers: { 'If-None-Match': await etagOf(env, 'getTask', {}) } })),
  'updateTask 200': main(async (env, o) => send(env.h.request, o, env.d, { path: { task_id: await freshTask(env) }, body: { status: 'in_progress' } })),
  'updateTask 409': main(({ h, d, s }, o) => send(h.request, o, d, { path: { task_id: s.tasks.release }, body: { status: 'in_progress' } })),
  'updateTask 412': main(async (env, o) => send(env.h.request, o, env.d, { path: { task_id: await freshTask(env) }, headers: { 'If-Match': STALE } })),
  'deleteTask 204': main(async (env, o) => {
    const id = await freshTask(env);
    return send(env.h.request, o, env.d, { path: { task_id: id }, headers: { 'If-Match': await etagOf(env, 'getTask', { task_id: id }) } });
  }),
  'deleteTask 412': main(async (env, o) => send(env.h.request, o, env.d, { path: { task_id: await freshTask(env) }, headers: { 'If-Match': STALE } })),
  'getTaskTree 200': main(({ h, d, s }, o) => send(h.request, o, d, { path: { task_id: s.tasks.implement } })),
  'getTaskTree 422': main(async (env, o) => {
    // The API refuses to make a cycle, but data written through MCP directly can hold one.
    const id = await freshTask(env, 'Its own parent');
    await env.h.call('update_task', { workspace_path: env.s.workspace, task_id: id, parent_task_id: id });
    return send(env.h.request, o, env.d, { path: { task_id: id } });
  }),
  'getTaskEntities 200': main(({ h, d }, o) => send(h.request, o, d)),
  'linkEntityToTask 200': main(({ h, d, s }, o) => send(h.request, o, d, { path: { task_id: s.tasks.design, entity_id: s.entities.apiFile } })),
  'linkEntityToTask 201': main(async (env, o) => send(env.h.request, o, env.d, { path: { task_id: await freshTask(env), entity_id: env.s.entities.apiFile } })),
  'listTags 200': main(({ h, d }, o) => send(h.request, o, d)),

  // Entities.
  'listEntities 200': main(({ h, d }, o) => send(h.request, o, d)),
  'createEntity 201': main(({ h, d }, o) => send(h.request, o, d)),
  'createEntity 409': main(({ h, d }, o) => send(h.request, o, d, { body: { entity_type: 'file', name: 'Duplicate', identifier: 'src/api.ts' } })),
  'createEntity 422': main(async ({ h, d }, o) => {
    const key = unique('conformance-idem');
    await send(h.request, o, d, { headers: { 'Idempotency-Key': key }, body: { entity_type: 'other', name: 'First body' } });
    return send(h.request, o, d, { headers: { 'Idempotency-Key': key }, body: { entity_type: 'other', name: 'Another body' } });
  }),
  'searchEntities 200': main(({ h, d }, o) => send(h.request, o, d)),
  'getEntityStats 200': main(({ h, d }, o) => send(h.request, o, d)),
  'getEntity 200': main(({ h, d }, o) => send(h.request, o, d)),
  'getEntity 304': main(async (env, o) => send(env.h.request, o, env.d, { headers: { 'If-None-Match': await etagOf(env, 'getEntity', {}) } })),
  'updateEntity 200': main(async (env, o) => send(env.h.request, o, env.d, { path: { entity_id: await freshEntity(env) } })),
  'updateEntity 409': main(async (env, o) => {
    const id = await freshEntity(env, { entity_type: 'file', name: 'Another file', identifier: unique('src/other') });
    return send(env.h.request, o, env.d, { path: { entity_id: id }, body: { identifier: 'src/api.ts' } });
  }),
  'updateEntity 412': main(async (env, o) => send(env.h.request, o, env.d, { path: { entity_id: await freshEntity(env) }, headers: { 'If-Match': STALE } })),
  'deleteEntity 204': main(async (env, o) => send(env.h.request, o, env.d, { path: { entity_id: await freshEntity(env) } })),
  'deleteEntity 412': main(async (env, o) => send(env.h.request, o, env.d, { path: { entity_id: await freshEntity(env) }, headers: { 'If-Match': STALE } })),
  'getEntityTasks 200': main(({ h, d }, o) => send(h.request, o, d)),
  'getTaskGraph 200': main(({ h, d }, o) => send(h.request, o, d)),
  'exportTasks 200': main(({ h, d }, o) => send(h.request, o, d, { query: { format: 'csv' } })),
  'exportEntities 200': main(({ h, d }, o) => send(h.request, o, d, { query: { format: 'json' } })),
};

/** Statuses every operation reaches the same way. `applies` says whether the operation can. */
const GENERIC: Record<number, { applies(op: SpecOperation): boolean; case: Case }> = {
  400: { applies: () => true, case: main(({ h, d }, o) => send(h.request, o, d, { query: { not_a_parameter: 1 } })) },
  401: { applies: (o) => o.secured, case: main(({ h, d }, o) => send(h.request, o, d, { key: null })) },
  403: {
    applies: (o) => hasParam(o, 'workspace_path', 'query') || o.path.includes('{project_id}') || o.method !== 'get',
    case: main(({ h, d }, o) =>
      hasParam(o, 'workspace_path', 'query')
        ? send(h.request, o, d, { query: { project_id: undefined, workspace_path: '/not/a/registered/workspace' } })
        : // The scoped test key is read-only and bound to another project.
          send(h.request, o, d, { key: SCOPED_KEY }),
    ),
  },
  404: {
    applies: (o) => /\{(task_id|entity_id|project_id)\}/.test(o.path) || hasParam(o, 'project_id', 'query'),
    case: main(({ h, d }, o) => {
      if (o.path.includes('{task_id}')) return send(h.request, o, d, { path: { task_id: 999_999 } });
      if (o.path.includes('{entity_id}')) return send(h.request, o, d, { path: { entity_id: 999_999 } });
      if (o.path.includes('{project_id}')) return send(h.request, o, d, { path: { project_id: 'deadbeef' } });
      return send(h.request, o, d, { query: { project_id: 'deadbeef' } });
    }),
  },
  413: {
    applies: (o) => BODY_OPS.has(o.operationId),
    case: main(({ h, d }, o) => send(h.request, o, d, { body: { title: 'x', workspace_path: '/x', description: 'y'.repeat(20_000) } })),
  },
  415: {
    applies: (o) => BODY_OPS.has(o.operationId),
    case: main(({ h, d }, o) => send(h.request, o, d, { raw: { type: 'text/plain', data: 'title=hello' } })),
  },
  429: { applies: (o) => o.path.startsWith('/api/v1/'), case: { harness: 'limited', run: ({ h, d }, o) => send(h.request, o, d) } },
  503: { applies: (o) => o.path.startsWith('/api/v1/'), case: { harness: 'slow', run: ({ h, d }, o) => send(h.request, o, d) } },
  504: { applies: (o) => o.path.startsWith('/api/v1/'), case: { harness: 'slow', run: ({ h, d }, o) => send(h.request, o, d) } },
};

export function caseFor(o: SpecOperation, status: number): Case | undefined {
  const specific = SPECIFIC[`${o.operationId} ${status}`];
  if (specific) return specific;
  const generic = GENERIC[status];
  return generic?.applies(o) ? generic.case : undefined;
}

export const SPECIFIC_KEYS = Object.keys(SPECIFIC);
