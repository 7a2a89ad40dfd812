/**
 * The client package as a user gets it: `npm pack` (which builds it), install the tarball into a fresh
 * project, type-check a sample with the root's TypeScript (and check that deliberate type errors do not
 * compile), then run the sample against a live service.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, type Harness, startHarness } from '../helpers/api-harness.js';
import { type Seeded, seedProject } from '../helpers/seed.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PKG = path.join(ROOT, 'clients', 'task-viewer-client');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
const npm = (args: string[], cwd: string) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd);

/** The strict settings `tsc --init` (TypeScript 5.9) writes, so the README works in a new project as it is. */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023', 'DOM'],
    strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true, isolatedModules: true, noUncheckedSideEffectImports: true, moduleDetection: 'force',
    outDir: 'out', rootDir: 'src', types: [], skipLibCheck: false,
  },
};

const NODE_SHIM = 'declare const process: { env: Record<string, string | undefined> };\n';

/** A program using the common calls; prints one JSON line of what it saw. */
const SAMPLE = `${NODE_SHIM}
import { createTaskViewerClient, TaskViewerApiError, unwrap, type Task } from 'task-viewer-client';

const tv = createTaskViewerClient({ baseUrl: process.env.BASE_URL!, apiKey: process.env.API_KEY!, requestId: () => 'sample-req-1' });
const project_id = process.env.PROJECT_ID!;
const out: Record<string, unknown> = {};

const { data: projects } = await tv.api.GET('/api/v1/projects');
out.projects = projects?.projects.map((p) => p.id);

const created = await unwrap(tv.api.POST('/api/v1/tasks', {
  params: { query: { project_id }, header: { 'Idempotency-Key': 'sample-create-1' } },
  body: { title: 'From the client', priority: 'high', tags: ['client'] },
}));
out.created = { title: created.title, status: created.status, priority: created.priority };

const page = await unwrap(tv.api.GET('/api/v1/tasks', { params: { query: { project_id, status: ['todo'], limit: 2 } } }));
out.pageLength = page.tasks.length;

const all: Task[] = [];
for await (const task of tv.tasks({ project_id }, { pageSize: 2 })) all.push(task);
out.allCount = all.length;
out.total = (await unwrap(tv.api.GET('/api/v1/tasks', { params: { query: { project_id, limit: 1 } } }))).total;
let entities = 0;
for await (const _ of tv.entities({ project_id }, { pageSize: 1 })) entities++;
out.entities = entities;

const { task, etag } = await tv.getTaskWithEtag(created.id, { project_id });
const updated = await tv.updateTaskIfMatch(task.id, etag, { status: 'in_progress' }, { project_id });
out.updated = updated.task.status;
try {
  await tv.updateTaskIfMatch(task.id, etag, { title: 'stale write' }, { project_id });
  out.stale = 'accepted';
} catch (err) {
  if (err instanceof TaskViewerApiError) out.stale = { status: err.status, code: err.code, requestId: err.requestId };
}
const modified = await tv.modifyTask(created.id, (t) => ({ tags: [...t.tags, 'modified'] }), { project_id });
out.modifiedTags = modified.tags;

const missing = await tv.api.GET('/api/v1/tasks/{task_id}', { params: { path: { task_id: 999999 }, query: { project_id } } });
if (missing.error) out.missing = { status: missing.response.status, error: missing.error.error, message: typeof missing.error.message };
try {
  await unwrap(tv.api.GET('/api/v1/tasks/{task_id}', { params: { path: { task_id: 999999 }, query: { project_id } } }));
} catch (err) {
  if (err instanceof TaskViewerApiError) out.thrown = { status: err.status, code: err.code, body: err.body?.status_code };
}
const echoed = await tv.api.GET('/api/v1/tags', { params: { query: { project_id } } });
out.requestId = echoed.response.headers.get('x-request-id');
const anon = createTaskViewerClient({ baseUrl: process.env.BASE_URL! });
const refused = await anon.api.GET('/api/v1/projects');
out.anonymous = refused.response.status;
await unwrap(tv.api.DELETE('/api/v1/tasks/{task_id}', { params: { path: { task_id: created.id }, query: { project_id } } }));
out.deleted = true;
console.log(JSON.stringify(out));
`;

/**
 * The package README's TypeScript examples as one program: imports hoisted, the first block at top
 * level (it creates `tv` and `project_id`), every later block in its own scope.
 */
function readmeProgram(): string {
  const readme = readFileSync(path.join(PKG, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const imports: string[] = [];
  const bodies = blocks.map((b) =>
    b
      .split('\n')
      .filter((line) => (line.startsWith('import ') ? (imports.push(line), false) : true))
      .join('\n'),
  );
  return [NODE_SHIM, ...imports, bodies[0], ...bodies.slice(1).map((b) => `{\n${b}\n}`), 'export {};'].join('\n');
}

/** Each line must fail to compile: wrong enum, missing required body field, unknown path, wrong param type. */
const BAD = `import { createTaskViewerClient } from 'task-viewer-client';
const tv = createTaskViewerClient({ baseUrl: 'http://localhost' });
await tv.api.GET('/api/v1/tasks', { params: { query: { status: ['finished'] } } });
await tv.api.POST('/api/v1/tasks', { body: { priority: 'high' } });
await tv.api.GET('/api/v1/nothing-here');
await tv.api.GET('/api/v1/tasks/{task_id}', { params: { path: { task_id: 'one' } } });
`;

describe('task-viewer-client package', () => {
  let tmp: string;
  let app: string;
  let h: Harness;
  let s: Seeded;
  let server: Server;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'tva-client-'));
    h = await startHarness({ MCP_POOL_SIZE: '1' });
    s = await seedProject(h.call, h.tmp);
    await h.runtime.services.resolver.refresh();
    server = await new Promise<Server>((resolve) => {
      const srv = createServer(h.app).listen(0, '127.0.0.1', () => resolve(srv));
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await h?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('packs (building dist/ with ESM and .d.ts) and installs into a fresh project without the network', () => {
    const pack = npm(['pack', '--pack-destination', tmp], PKG);
    expect(pack.status, pack.out).toBe(0);
    const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const list = run('tar', ['-tzf', path.join(tmp, tarball!)], tmp);
    expect(list.out).toContain('package/dist/index.js');
    expect(list.out).toContain('package/dist/index.d.ts');
    expect(list.out).toContain('package/dist/generated/openapi.d.ts');
    expect(list.out).not.toContain('package/src/');

    app = path.join(tmp, 'app');
    mkdirSync(path.join(app, 'src'), { recursive: true });
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'sample', private: true, type: 'module' }));
    let install = npm(['install', path.join(tmp, tarball!), '--prefer-offline'], app);
    if (install.status !== 0) {
      // No registry and no cache entry: install openapi-fetch from the root's node_modules instead.
      const deps = ['openapi-fetch', 'openapi-typescript-helpers'].map((d) => {
        const packed = npm(['pack', path.join(ROOT, 'node_modules', d), '--pack-destination', tmp], tmp);
        expect(packed.status, packed.out).toBe(0);
        return path.join(tmp, readdirSync(tmp).find((f) => f.startsWith(`${d}-`) && f.endsWith('.tgz'))!);
      });
      install = npm(['install', path.join(tmp, tarball!), ...deps, '--offline'], app);
    }
    expect(install.status, install.out).toBe(0);
  }, 120_000);

  it('type-checks a sample of the common calls and the README examples, and refuses wrong ones', () => {
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    writeFileSync(path.join(app, 'src', 'sample.ts'), SAMPLE);
    writeFileSync(path.join(app, 'src', 'readme-examples.ts'), readmeProgram());
    const ok = run(process.execPath, [TSC, '-p', 'tsconfig.json'], app);
    expect(ok.status, ok.out).toBe(0);

    const badDir = path.join(tmp, 'bad');
    mkdirSync(path.join(badDir, 'src'), { recursive: true });
    writeFileSync(path.join(badDir, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, compilerOptions: { ...TSCONFIG.compilerOptions, noEmit: true } }));
    writeFileSync(path.join(badDir, 'package.json'), JSON.stringify({ name: 'bad', private: true, type: 'module' }));
    // Same installed package, seen through a symlink.
    run('ln', ['-s', path.join(app, 'node_modules'), path.join(badDir, 'node_modules')], badDir);
    writeFileSync(path.join(badDir, 'src', 'bad.ts'), BAD);
    const bad = run(process.execPath, [TSC, '-p', 'tsconfig.json'], badDir);
    expect(bad.status).not.toBe(0);
    // Every deliberate mistake (lines 3-6) is reported, and nothing else.
    const lines = [...bad.out.matchAll(/bad\.ts\((\d+),\d+\): error TS\d+/g)].map((m) => Number(m[1]));
    expect(new Set(lines), bad.out).toEqual(new Set([3, 4, 5, 6]));
  }, 60_000);

  it('runs the sample against a live service', async () => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Asynchronously: the service runs in this process.
    const r = await new Promise<{ status: number; out: string }>((resolve) => {
      execFile(process.execPath, ['out/sample.js'], { cwd: app, env: { ...process.env, BASE_URL: base, API_KEY, PROJECT_ID: s.projectId }, timeout: 50_000 }, (err, stdout, stderr) =>
        resolve({ status: err ? 1 : 0, out: `${stdout}${stderr}${err ? String(err) : ''}` }),
      );
    });
    expect(r.status, r.out).toBe(0);
    const out = JSON.parse(r.out.trim().split('\n').pop()!);
    expect(out.projects).toContain(s.projectId);
    expect(out.created).toEqual({ title: 'From the client', status: 'todo', priority: 'high' });
    expect(out.pageLength).toBe(2);
    // Paging by 2 reaches every task the list reports.
    expect(out.allCount).toBe(out.total);
    expect(out.entities).toBe(2);
    expect(out.updated).toBe('in_progress');
    expect(out.stale).toEqual({ status: 412, code: expect.any(String), requestId: 'sample-req-1' });
    expect(out.modifiedTags).toEqual(['client', 'modified']);
    expect(out.missing).toEqual({ status: 404, error: 'not_found', message: 'string' });
    expect(out.thrown).toEqual({ status: 404, code: 'not_found', body: 404 });
    expect(out.requestId).toBe('sample-req-1');
    expect(out.anonymous).toBe(401);
    expect(out.deleted).toBe(true);
  }, 60_000);
});
