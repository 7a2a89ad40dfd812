/**
 * Graceful shutdown at the HTTP edge. Once draining: every response says `Connection: close` (so
 * keep-alive clients leave after their answer), requests that arrive after the signal — on sockets
 * kept alive from before — get a clean 503 with Retry-After, and `idle` resolves as soon as the
 * requests that were already running have finished.
 */
import type { RequestHandler } from 'express';
import { HttpError, sendError } from './error-format.js';

export class Drain {
  private active = 0;
  private draining = false;
  private onIdle: (() => void) | undefined;

  get inFlight(): number {
    return this.active;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      if (this.draining) {
        res.setHeader('Connection', 'close');
        sendError(req, res, new HttpError(503, 'shutting_down', 'The service is shutting down: retry on another instance or in a moment', 1));
        return;
      }
      this.active++;
      let done = false;
      const finished = () => {
        if (done) return;
        done = true;
        this.active--;
        if (this.draining && this.active === 0) this.onIdle?.();
      };
      res.once('finish', finished);
      res.once('close', finished);
      // Answers that leave after the signal close their connection.
      const writeHead = res.writeHead;
      res.writeHead = ((...args: Parameters<typeof res.writeHead>) => {
        if (this.draining && !res.headersSent) res.setHeader('Connection', 'close');
        return writeHead.apply(res, args);
      }) as typeof res.writeHead;
      next();
    };
  }

  /** Starts draining; resolves when no request that was running is left. */
  begin(): Promise<void> {
    this.draining = true;
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => (this.onIdle = resolve));
  }
}
