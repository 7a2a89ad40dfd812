/**
 * stdio hygiene for the entry points. A client that goes away closes our stdout/stderr: the next write
 * fails with EPIPE. Unhandled, that error reaches the uncaught-exception handler, whose own log line to the
 * broken stderr fails again, and the process spins at high CPU, orphaned. Here a broken pipe ends the
 * process quietly, and logging never throws.
 */

let stderrBroken = false;

const brokenPipe = (err: unknown) => {
  const code = (err as { code?: unknown })?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END' || code === 'ECONNRESET';
};

/** A log line to stderr, dropped when stderr is gone. */
export function logLine(prefix: string, msg: string): void {
  if (stderrBroken || process.stderr.destroyed || !process.stderr.writable) return;
  try {
    process.stderr.write(`${prefix}: ${msg}\n`);
  } catch {
    stderrBroken = true;
  }
}

/**
 * Exit via `stop` when stdout or stderr breaks, and log (never loop on) anything else uncaught. `stop`
 * should release resources and exit; a watchdog exits anyway if it stalls.
 */
export function guardProcessIo(prefix: string, stop: (code: number) => void): void {
  let stopping = false;
  const end = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 2000).unref();
    stop(0);
  };
  process.stdout.on('error', (err) => (brokenPipe(err) ? end() : logLine(prefix, `stdout: ${err.message}`)));
  process.stderr.on('error', () => {
    stderrBroken = true;
    end();
  });
  process.on('uncaughtException', (err) => {
    if (brokenPipe(err)) return end();
    logLine(prefix, `uncaught: ${err.stack ?? err.message}`);
  });
  process.on('unhandledRejection', (err) => {
    if (brokenPipe(err)) return end();
    logLine(prefix, `unhandled rejection: ${err instanceof Error ? err.stack : String(err)}`);
  });
}
