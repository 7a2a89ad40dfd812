/**
 * Child processes for the tool suite: run a command to completion (output captured, time limit), or
 * start a long-lived one in its own process group so that stopping it also stops what it spawned
 * (the service's MCP children, Specmatic's JVM). Every started group is stopped on exit.
 */
import { spawn } from 'node:child_process';

const started = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Stops every group still running; called on exit and on signals. */
export function stopAll() {
  for (const child of started) killGroup(child, 'SIGKILL');
  started.clear();
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopAll();
    process.exit(130);
  });
}

/**
 * Runs `command args` to completion; resolves { code, stdout, stderr, ms, timedOut }.
 * Never rejects for a non-zero exit: callers decide what a failure is.
 */
export function run(command, args, { cwd, env, timeoutMs = 300_000, input } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    started.add(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      stderr += String(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      started.delete(child);
      // Anything the command left behind in its group goes too.
      killGroup(child, 'SIGKILL');
      resolve({ code: timedOut ? -1 : code, stdout, stderr, ms: Date.now() - t0, timedOut });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/** Starts a long-lived process; returns { child, output(), stop() }. */
export function start(command, args, { cwd, env } = {}) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('close', resolve));
  return {
    child,
    exited,
    output: () => output,
    async stop() {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
      started.delete(child);
    },
  };
}
