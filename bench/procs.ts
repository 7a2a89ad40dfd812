/**
 * Child processes for the bench: the real service (`node dist/src/main.js`) and the bare baseline
 * (`node dist/bench/bare-server.js`), each in its own process so the load generator (this process)
 * does not share an event loop with the server it measures. Plus /proc sampling of RSS for a
 * process and all its descendants (the service and its stdio MCP children).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, from bench/ (vitest runs the sources) or dist/bench/ (npm run bench). */
export function projectRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return here.split(path.sep).includes('dist') ? path.resolve(here, '../..') : path.resolve(here, '..');
}

export function builtFile(rel: string): string {
  const file = path.join(projectRoot(), 'dist', rel);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return file;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Child {
  proc: ChildProcess;
  pid: number;
  url: string;
  /** stderr collected so far (for error messages). */
  stderr(): string;
  stop(): Promise<void>;
}

function track(proc: ChildProcess, url: string): Child {
  let err = '';
  proc.stderr?.on('data', (c: Buffer) => {
    err = (err + c.toString('utf8')).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    pid: proc.pid!,
    url,
    stderr: () => err,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      // Graceful first (the service closes its MCP children); SIGKILL after 15 s.
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      // A grandchild may still hold an inherited copy of the pipe; do not let it keep us alive.
      proc.stdout?.destroy();
      proc.stderr?.destroy();
    },
  };
}

/** Polls `url` until it answers 200 (or the child dies / the deadline passes). */
async function waitReady(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.proc.exitCode !== null) throw new Error(`child exited with ${child.proc.exitCode}:\n${child.stderr()}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error(`${url} not ready after ${timeoutMs} ms:\n${child.stderr()}`);
    }
    await sleep(50);
  }
}

/** Starts `node dist/src/main.js` with a clean environment plus `env`; resolves once /health is 200. */
export async function startServiceProcess(env: Record<string, string>, cwd: string): Promise<Child> {
  const port = await freePort();
  const main = builtFile('src/main.js');
  const proc = spawn(process.execPath, [main], {
    cwd, // not the repo: main.js reads a .env from its working directory
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? cwd, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const child = track(proc, `http://127.0.0.1:${port}`);
  await waitReady(child, `${child.url}/health`, 30_000);
  return child;
}

/** Starts the bare baseline on the captured routes file. */
export async function startBareProcess(routesFile: string): Promise<Child> {
  const port = await freePort();
  const proc = spawn(process.execPath, [builtFile('bench/bare-server.js'), routesFile, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const child = track(proc, `http://127.0.0.1:${port}`);
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (c: Buffer) => {
      if (c.toString('utf8').includes('listening')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`bare server exited with ${code}: ${child.stderr()}`)));
  });
  return child;
}

// ---------------------------------------------------------------- /proc memory

function ppidOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** `pid` and all its live descendants. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = ppidOf(entry);
    if (ppid === undefined) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

/** VmRSS and VmHWM (peak RSS) of one process, in KiB; undefined when it is gone. */
export function memoryOf(pid: number): { rssKb: number; hwmKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

export interface MemoryPeak {
  /** Peak RSS (VmHWM) of the service process itself. */
  serviceHwmMb: number;
  /** Sum of the peak RSS (VmHWM) of every child seen (an upper bound: peaks need not coincide). */
  childrenHwmMb: number;
  /** Largest sum of current RSS over the service and its children, sampled every 200 ms. */
  totalRssPeakMb: number;
  /** Most processes (service + children) seen at once. */
  processes: number;
}

/** Samples the memory of `pid` and its descendants until stopped. */
export function sampleMemory(pid: number, everyMs = 200): { stop(): MemoryPeak } {
  const childHwm = new Map<number, number>();
  let serviceHwm = 0;
  let totalPeak = 0;
  let processes = 0;
  const sample = () => {
    const tree = processTree(pid);
    let total = 0;
    let seen = 0;
    for (const p of tree) {
      const m = memoryOf(p);
      if (!m) continue;
      seen++;
      total += m.rssKb;
      if (p === pid) serviceHwm = Math.max(serviceHwm, m.hwmKb);
      else childHwm.set(p, Math.max(childHwm.get(p) ?? 0, m.hwmKb));
    }
    totalPeak = Math.max(totalPeak, total);
    processes = Math.max(processes, seen);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      sample();
      clearInterval(timer);
      const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;
      return {
        serviceHwmMb: mb(serviceHwm),
        childrenHwmMb: mb([...childHwm.values()].reduce((a, b) => a + b, 0)),
        totalRssPeakMb: mb(totalPeak),
        processes,
      };
    },
  };
}
