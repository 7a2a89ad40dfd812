/**
 * The service as an operator runs it (real processes): `npm start` stops on SIGTERM sent to npm;
 * keep-alive clients during a SIGTERM get answers or a clean 503, never a cut connection; start-up
 * problems (port in use, an unusable store, an MCP command that does not exist) end the process at
 * once with one clear line; --help and --version answer without starting.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { alive, descendants, waitFor } from '../helpers/processes.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAIN = path.join(ROOT, 'dist/src/main.js');


const started: ChildProcess[] = [];
const tracked: number[] = [];
afterEach(() => {
  for (const pid of tracked.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const child of started.splice(0)) if (child.pid && alive(child.pid)) child.kill('SIGKILL');
});

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tva-life-'));
  return { ...process.env, TASK_MCP_HOME: path.join(tmp, 'store'), API_KEYS: 'life-key-0123456789', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', MCP_POOL_SIZE: '1', ...extra };
}

describe('process lifecycle', () => {
  it('npm start: SIGTERM to npm stops the service and its MCP children', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start', '--silent'], { cwd: ROOT, env: env({ PORT: String(port) }), stdio: 'ignore' });
    started.push(npm);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200, 60_000, 'the service');
    const tree = descendants(npm.pid!);
    tracked.push(...tree);
    expect(tree.length).toBeGreaterThanOrEqual(2); // the service and its MCP child
    npm.kill('SIGTERM');
    await waitFor(() => tree.every((pid) => !alive(pid)), 20_000, 'every process of the service to exit');
  }, 90_000);

  it('SIGTERM with keep-alive clients: answers or a clean 503 with Connection: close, then a prompt exit', async () => {
    const port = await freePort();
    // Limits out of the way: 8 looping clients would otherwise meet the 100/min default (429).
    const service = spawn(process.execPath, [MAIN], { env: env({ PORT: String(port), RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_PER_HOUR: '1000000' }), stdio: 'ignore' });
    started.push(service);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/health`).catch(() => undefined))?.status === 200, 30_000, 'the service');
    tracked.push(...descendants(service.pid!));
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const get = () =>
      new Promise<{ status: number; connection?: string } | { error: string }>((resolve) => {
        const req = request(`${base}/api/v1/projects`, { agent, headers: { 'X-API-Key': 'life-key-0123456789' } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
        });
        req.on('error', (err) => resolve({ error: err.message }));
        req.end();
      });
    for (let i = 0; i < 16; i++) await get(); // open keep-alive sockets
    const exited = new Promise<number | null>((r) => service.once('exit', (code) => r(code)));
    let stop = false;
    const results: Array<Awaited<ReturnType<typeof get>>> = [];
    const clients = Array.from({ length: 8 }, async () => {
      while (!stop) results.push(await get());
    });
    await new Promise((r) => setTimeout(r, 100));
    const signalled = Date.now();
    service.kill('SIGTERM');
    const code = await exited;
    stop = true;
    await Promise.all(clients);
    agent.destroy();
    expect(code).toBe(0);
    // Well before the 10 s forced close: nothing was left hanging.
    expect(Date.now() - signalled).toBeLessThan(8_000);
    const answered = results.filter((r): r is { status: number; connection?: string } => 'status' in r);
    expect(answered.length).toBeGreaterThan(0);
    for (const r of answered) expect([200, 503]).toContain(r.status);
    for (const r of answered.filter((x) => x.status === 503)) expect(r.connection).toBe('close');
    // After the exit, new connections are refused: that is the only kind of error a client may see.
    for (const r of results.filter((x): x is { error: string } => 'error' in x)) expect(r.error).toMatch(/ECONNREFUSED|ECONNRESET|socket hang up/);
  }, 90_000);

  it('a port in use: one clear line and a non-zero exit', async () => {
    const port = await freePort();
    const blocker = createServer().listen(port, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const run = spawnSync(process.execPath, [MAIN], { env: env({ PORT: String(port) }), encoding: 'utf8', timeout: 60_000 });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is in use: set PORT`);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      blocker.close();
    }
  }, 90_000);

  it('an unusable store and a missing MCP command stop the start with the reason', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'tva-life-'));
    const file = path.join(tmp, 'not-a-directory');
    spawnSync('touch', [file]);
    const store = spawnSync(process.execPath, [MAIN], { env: env({ TASK_MCP_HOME: file }), encoding: 'utf8', timeout: 60_000 });
    expect(store.status).toBe(1);
    expect(store.stderr).toContain(`the task-mcp store ${file} is not usable`);
    const command = spawnSync(process.execPath, [MAIN], { env: env({ MCP_TRANSPORT: 'stdio', MCP_COMMAND: 'no-such-task-mcp-command', MCP_CONNECT_TIMEOUT_MS: '5000' }), encoding: 'utf8', timeout: 60_000 });
    expect(command.status).toBe(1);
    expect(command.stderr).toContain('could not open any MCP session with MCP_TRANSPORT=stdio (MCP_COMMAND=no-such-task-mcp-command)');
  }, 90_000);

  it('--help and --version answer without starting anything', () => {
    const help = spawnSync(process.execPath, [MAIN, '--help'], { encoding: 'utf8', timeout: 30_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: npm start');
    const version = spawnSync(process.execPath, [MAIN, '--version'], { encoding: 'utf8', timeout: 30_000 });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    const wrong = spawnSync(process.execPath, [MAIN, '--port=9'], { encoding: 'utf8', timeout: 30_000 });
    expect(wrong.status).toBe(2);
  });
});
