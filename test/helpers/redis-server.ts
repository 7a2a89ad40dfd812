/**
 * A real `redis-server` for a test: on a free port, no persistence, started as a child and stopped in
 * afterAll (a test that fails still stops it: call `stop()` in a finally or afterAll). `kill()` is a
 * crash (SIGKILL); `restart()` starts a fresh, empty server on the same port, as an operator would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Socket } from 'node:net';
import { freePort } from './ports.js';

export interface RedisServer {
  port: number;
  url: string;
  pid(): number | undefined;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>;
  /** A new server on the same port (after kill()); empty unless started with `dir` and saved. */
  restart(): Promise<void>;
  /** Writes a snapshot (with `dir`), which a restart loads. */
  save(): Promise<void>;
  stop(): Promise<void>;
}

/** One inline command over a raw socket: the first reply line, or undefined without an answer. */
export function redisCommand(port: number, line: string, timeoutMs = 2_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (reply: string | undefined) => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once('data', (d) => done(d.toString().split('\r\n')[0]));
    socket.connect(port, '127.0.0.1', () => socket.write(`${line}\r\n`));
  });
}

/** True when the server answers PING. */
export const pingRedis = async (port: number, timeoutMs = 500) => (await redisCommand(port, 'PING', timeoutMs)) === '+PONG';

export interface RedisOptions {
  /**
   * Where `SAVE` writes its snapshot and where a restarted server loads it from: a restart then
   * keeps the data (as a Redis with persistence would), instead of starting empty.
   */
  dir?: string;
  deadlineMs?: number;
}

export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const deadlineMs = options.deadlineMs ?? 10_000;
  const port = await freePort();
  let proc: ChildProcess | undefined;
  let stderr = '';

  const launch = async () => {
    stderr = '';
    const dir = options.dir ? ['--dir', options.dir, '--dbfilename', 'dump.rdb'] : [];
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', ...dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    proc = child;
    const deadline = Date.now() + deadlineMs;
    while (!(await pingRedis(port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${stderr}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`redis-server did not answer PING on port ${port} within ${deadlineMs} ms: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const end = async (signal: NodeJS.Signals) => {
    const child = proc;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: () => proc?.pid,
    kill: () => end('SIGKILL'),
    restart: launch,
    async save() {
      const reply = await redisCommand(port, 'SAVE', 10_000);
      if (reply !== '+OK') throw new Error(`SAVE answered ${reply}`);
    },
    stop: () => end('SIGTERM'),
  };
}
