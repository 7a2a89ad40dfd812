/**
 * One Server-Sent Events response, written by hand: a few lines of protocol, with the two things that
 * matter under load — a client that reads too slowly is dropped (with a final `stream.closed` event)
 * instead of being buffered without bound, and comments keep idle connections alive through proxies.
 * `Cache-Control: no-transform` keeps the compression middleware from holding events back.
 */
import type { Response } from 'express';

export interface SseOptions {
  heartbeatMs: number;
  /** Bytes the socket may hold unsent before the client counts as too slow. */
  maxBufferedBytes: number;
  /** Reconnect delay the browser should use. */
  retryMs: number;
}

export class SseStream {
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;
  readonly done: Promise<void>;

  constructor(
    private readonly res: Response,
    private readonly options: SseOptions,
    onClose: () => void,
  ) {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(`retry: ${options.retryMs}\n\n`);
    this.heartbeat = setInterval(() => this.writeRaw(': heartbeat\n\n'), options.heartbeatMs);
    this.heartbeat.unref();
    this.done = new Promise((resolve) =>
      res.once('close', () => {
        this.closed = true;
        clearInterval(this.heartbeat);
        onClose();
        resolve();
      }),
    );
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  send(event: string, data: unknown, id?: string): void {
    const json = JSON.stringify(data);
    this.writeRaw(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${json}\n\n`);
  }

  /** Ends the stream with a final `stream.closed` event saying why. */
  close(reason: string): void {
    if (this.closed) return;
    this.res.write(`event: stream.closed\ndata: ${JSON.stringify({ reason })}\n\n`);
    this.closed = true;
    clearInterval(this.heartbeat);
    this.res.end();
    // A client that stopped reading would hold the socket (and what is queued on it) forever.
    setTimeout(() => this.res.destroy(), 5_000).unref();
  }

  private writeRaw(text: string): void {
    if (this.closed) return;
    if (this.res.writableLength > this.options.maxBufferedBytes) {
      this.close('too slow: events were piling up unread');
      return;
    }
    this.res.write(text);
  }
}
