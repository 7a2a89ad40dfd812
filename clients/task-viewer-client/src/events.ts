/**
 * Live changes from `GET /api/v1/events` over a streamed `fetch` (not EventSource): it can send
 * `X-API-Key`, so no token round trip is needed, and it reconnects by itself with `Last-Event-ID`
 * so the server replays what was missed (or sends `stream.reset` when that is no longer possible).
 */
import type { components, operations } from './generated/openapi.js';
import { createSseParser, type SseMessage } from './sse.js';

export type ChangeEvent = components['schemas']['ChangeEvent'];
export type ChangeEventType = ChangeEvent['type'];
type StreamEventsQuery = NonNullable<operations['streamEvents']['parameters']['query']>;

/** What the stream delivers: a change (its `data` is a ChangeEvent) or a control event of the stream itself. */
export type StreamEvent =
  | { kind: 'change'; id: string | undefined; type: ChangeEventType; data: ChangeEvent }
  /**
   * `stream.reset` (the missed events are no longer in the replay window: reload what you show),
   * `stream.closed` (the server cut this stream off, e.g. it read too slowly; the helper reconnects),
   * or any other event name the server adds later. `data` is the parsed JSON, or the raw text.
   */
  | { kind: 'control'; id: string | undefined; type: string; data: unknown };

export type EventsStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface EventsStatusDetail {
  /** Reconnect attempts since the last successful open. */
  attempt: number;
  /** Why the stream is (re)connecting, when it failed. */
  error?: unknown;
  /** When the next attempt starts (reconnecting only). */
  retryInMs?: number;
}

export interface EventsOptions {
  /** Only changes of this project (default: every project the key may read). */
  project_id?: StreamEventsQuery['project_id'] | undefined;
  /** Resume after this event id (for example one kept from an earlier session). */
  lastEventId?: string | undefined;
  /** Abort to close the stream; the iteration then ends without an error. */
  signal?: AbortSignal | undefined;
  /** Called on every status change (for a connected / reconnecting indicator). */
  onStatus?: ((status: EventsStatus, detail: EventsStatusDetail) => void) | undefined;
  /** First reconnect delay in ms (default 1000; the server's `retry:` overrides it); doubles up to `maxRetryMs`. */
  retryMs?: number | undefined;
  /** Longest reconnect delay in ms (default 30000). */
  maxRetryMs?: number | undefined;
  /**
   * Reconnect when nothing (not even a heartbeat comment, sent every 15 s) arrived for this long:
   * a connection a proxy silently dropped looks open forever otherwise. Default 45000 ms.
   */
  idleTimeoutMs?: number | undefined;
}

export interface EventsTransport {
  baseUrl: string;
  headers: Record<string, string>;
  fetch: (input: Request) => Promise<Response>;
  /** Builds the error thrown for a refusal that retrying cannot fix (401, 403, 404, 400). */
  refusal: (response: Response, body: unknown) => Error;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

function toStreamEvent(message: SseMessage): StreamEvent {
  let data: unknown = message.data;
  try {
    data = JSON.parse(message.data);
  } catch {
    // not JSON: keep the text
  }
  const change = data as ChangeEvent | undefined;
  if (message.event !== 'message' && !message.event.startsWith('stream.') && change && typeof change === 'object' && change.type === message.event) {
    return { kind: 'change', id: message.id, type: change.type, data: change };
  }
  return { kind: 'control', id: message.id, type: message.event, data };
}

/** Retrying helps for these: the server is busy, restarting or rate limiting. */
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

export async function* streamEvents(transport: EventsTransport, options: EventsOptions = {}): AsyncGenerator<StreamEvent, void, undefined> {
  const outer = options.signal;
  const firstDelay = options.retryMs ?? 1000;
  const maxDelay = options.maxRetryMs ?? 30_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
  let lastEventId = options.lastEventId;
  let delay = firstDelay;
  let attempt = 0;
  const status = (s: EventsStatus, detail: Omit<EventsStatusDetail, 'attempt'> = {}) => options.onStatus?.(s, { attempt, ...detail });
  const stopped = new AbortController();
  const onOuterAbort = () => stopped.abort();
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  if (outer?.aborted) stopped.abort();

  const backoff = async (error: unknown, retryAfterMs?: number) => {
    attempt++;
    const wait = Math.min(maxDelay, retryAfterMs ?? delay);
    status('reconnecting', { error, retryInMs: wait });
    await sleep(wait, stopped.signal);
    delay = Math.min(maxDelay, delay * 2);
  };

  try {
    status('connecting');
    while (!stopped.signal.aborted) {
      const connection = new AbortController();
      const abortConnection = () => connection.abort();
      stopped.signal.addEventListener('abort', abortConnection, { once: true });
      try {
        // A relative baseUrl ('' in a browser page) resolves against the page.
        const page = (globalThis as { location?: { href: string } }).location?.href;
        const url = new URL(`${transport.baseUrl}/api/v1/events`, page);
        if (options.project_id) url.searchParams.set('project_id', options.project_id);
        const headers = new Headers(transport.headers);
        headers.set('Accept', 'text/event-stream');
        if (lastEventId) headers.set('Last-Event-ID', lastEventId);
        let response: Response;
        try {
          response = await transport.fetch(new Request(url, { headers, signal: connection.signal }));
        } catch (err) {
          if (stopped.signal.aborted) return;
          await backoff(err);
          continue;
        }
        if (!response.ok) {
          const body = await response.json().catch(() => undefined);
          if (!retryable(response.status)) throw transport.refusal(response, body);
          const header = Number(response.headers.get('retry-after'));
          await backoff(transport.refusal(response, body), Number.isFinite(header) && header > 0 ? header * 1000 : undefined);
          continue;
        }
        if (!response.body) throw new Error('the event stream response has no body');
        attempt = 0;
        delay = firstDelay;
        status('open');

        const queue: StreamEvent[] = [];
        const parser = createSseParser((message) => queue.push(toStreamEvent(message)));
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let idle: ReturnType<typeof setTimeout> | undefined;
        const armIdle = () => {
          clearTimeout(idle);
          idle = setTimeout(() => connection.abort(), idleTimeoutMs);
        };
        let failure: unknown = new Error('the event stream ended');
        try {
          armIdle();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            armIdle();
            parser.push(value);
            while (queue.length > 0) yield queue.shift()!;
          }
        } catch (err) {
          failure = err;
        } finally {
          clearTimeout(idle);
          reader.releaseLock();
          lastEventId = parser.lastEventId ?? lastEventId;
          // The server's `retry:` is the delay it asks for after this stream ends.
          if (parser.reconnectMs !== undefined) delay = parser.reconnectMs;
        }
        if (stopped.signal.aborted) return;
        await backoff(failure);
      } finally {
        stopped.signal.removeEventListener('abort', abortConnection);
        connection.abort();
      }
    }
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
    status('closed');
  }
}
