/**
 * The real service for the contract tests: built from a checkout, started on a free port with a
 * temporary task-mcp store, seeded through its own REST API (so it works with any revision that has
 * the basic task and entity routes), stopped and deleted afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { run, start } from './proc.mjs';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(check, { timeoutMs, what, output }) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms (${last?.message ?? 'no answer'})\n${output()}`);
}

/** Builds the checkout's service (tsc); throws with the compiler output when it fails. */
export async function buildService(root) {
  const r = await run('npm', ['run', '--silent', 'build'], { cwd: root, timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`npm run build failed in ${root}:\n${(r.stdout + r.stderr).slice(-3000)}`);
}

/** Starts the service; resolves { url, key, workspace, stop() }. */
export async function startService(root) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'contract-tools-'));
  const workspaces = path.join(tmp, 'workspaces');
  const workspace = path.join(workspaces, 'acme-web');
  mkdirSync(workspace, { recursive: true });
  const key = `ct_${randomBytes(16).toString('hex')}`;
  const port = await freePort();
  const proc = start(process.execPath, [path.join(root, 'dist', 'src', 'main.js')], {
    cwd: tmp,
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      TASK_MCP_HOME: path.join(tmp, 'task-mcp'),
      API_KEYS: key,
      DEFAULT_WORKSPACE_PATH: workspace,
      ALLOWED_WORKSPACE_ROOTS: workspaces,
      // Contract tests send thousands of requests from one key; the limiter is not what they test.
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_PER_HOUR: '10000000',
      MCP_POOL_SIZE: '2',
      LOG_LEVEL: 'error',
      METRICS_PORT: '',
      CORS_ORIGINS: '',
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await proc.stop();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => (await fetch(`${url}/health`)).status === 200, { timeoutMs: 60_000, what: 'the service', output: proc.output });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, key, workspace, tmp, stop, output: proc.output };
}

/**
 * A small REST client for seeding: `call` resolves the parsed body and throws on any unexpected
 * status; `call.full` resolves { status, body, etag } (for the ETags that examples send back).
 */
export function client(url, key) {
  const full = async (method, route, body, expected = [200, 201]) => {
    const res = await fetch(`${url}${route}`, {
      method,
      headers: { 'X-API-Key': key, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!expected.includes(res.status)) throw new Error(`seeding: ${method} ${route} answered ${res.status}: ${text.slice(0, 300)}`);
    return { status: res.status, body: text ? JSON.parse(text) : undefined, etag: res.headers.get('etag') };
  };
  const call = async (...args) => (await full(...args)).body;
  call.full = full;
  return call;
}

/**
 * Creates a task (or entity) and deletes it again, right after `neighbourId`, so that id + 1 names
 * a deleted resource. Specmatic's generative run mutates a pinned path id to id + 1 and expects a
 * 4xx; with a live resource there the service would rightly answer 200.
 */
async function tombstoneAfter(call, kind, neighbourId, body) {
  const gone = await call('POST', `/api/v1/${kind}`, body);
  if (gone.id !== neighbourId + 1) throw new Error(`seeding: expected ${kind} id ${neighbourId + 1} after ${neighbourId}, got ${gone.id}`);
  await call('DELETE', `/api/v1/${kind}/${gone.id}`, undefined, [204]);
  return gone.id;
}

/**
 * Seeds one project: a small task hierarchy (a parent with subtasks two levels deep), a dependency,
 * a done, an in-progress and a blocked task, tags, two entities and links. The scratch task and the
 * pinned entity are each followed by a deleted one (see tombstoneAfter). Resolves the ids the
 * contract tests should use.
 */
export async function seed(service) {
  const call = client(service.url, service.key);
  const task = (body) => call('POST', '/api/v1/tasks', body);
  const design = await task({ title: 'Design the API', description: 'Sketch the REST resources', priority: 'high', tags: ['api', 'backend'] });
  const build = await task({ title: 'Implement the API', tags: ['backend'], depends_on: [design.id], file_references: ['src/api.ts'] });
  const tests = await task({ title: 'Endpoint tests', parent_task_id: build.id, tags: ['backend', 'testing'] });
  await task({ title: 'Fixture data', parent_task_id: tests.id, tags: ['testing'] });
  const migrate = await task({ title: 'Migrate data', priority: 'high' });
  const release = await task({ title: 'Release 1.0', priority: 'low', tags: ['ops'] });
  const scratch = await task({ title: 'Scratch task for contract tests', description: 'Writes from the contract tests land here.' });
  const deletedTaskId = await tombstoneAfter(call, 'tasks', scratch.id, { title: 'Deleted right away' });
  await call('PATCH', `/api/v1/tasks/${design.id}`, { status: 'in_progress' });
  await call('PATCH', `/api/v1/tasks/${design.id}`, { status: 'done' });
  await call('PATCH', `/api/v1/tasks/${migrate.id}`, { status: 'blocked', blocker_reason: 'Waiting for database access' });
  await call('PATCH', `/api/v1/tasks/${release.id}`, { status: 'in_progress' });

  const file = await call('POST', '/api/v1/entities', { entity_type: 'file', name: 'API module', identifier: 'src/api.ts', tags: ['backend'], metadata: { language: 'ts' } });
  const deletedEntityId = await tombstoneAfter(call, 'entities', file.id, { entity_type: 'other', name: 'Deleted right away', identifier: 'GONE-1' });
  const doc = await call('POST', '/api/v1/entities', { entity_type: 'other', name: 'Spec document', identifier: 'SPEC-1' });
  await call('PUT', `/api/v1/tasks/${build.id}/entities/${file.id}`);
  await call('PUT', `/api/v1/tasks/${scratch.id}/entities/${doc.id}`);

  const projects = await call('GET', '/api/v1/projects');
  const project = projects.projects.find((p) => p.workspace_path === service.workspace) ?? projects.projects[0];
  return {
    projectId: project.id,
    workspace: project.workspace_path,
    taskId: build.id,
    parentTaskId: build.id,
    scratchTaskId: scratch.id,
    deletedTaskId,
    entityId: file.id,
    deletedEntityId,
    linkedEntityId: doc.id,
    tag: 'backend',
  };
}
