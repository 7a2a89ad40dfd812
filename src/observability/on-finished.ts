/** When a response is done (finished, or its connection closed first), with its duration. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Runs `done(ms)` once the response is finished (or the connection closed first). */
export function onFinished(_req: IncomingMessage, res: ServerResponse, done: (ms: number) => void): void {
  const started = process.hrtime.bigint();
  let called = false;
  const finish = () => {
    if (called) return;
    called = true;
    done(Number(process.hrtime.bigint() - started) / 1e6);
  };
  res.once('finish', finish);
  res.once('close', finish);
}

