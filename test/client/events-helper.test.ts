/**
 * The client's `events()` helper against a real HTTP server speaking SSE: it sends X-API-Key, yields
 * change and control events, reconnects after the server drops the stream and resumes with
 * Last-Event-ID, retries 503s, and stops with a TaskViewerApiError on 401.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type EventsStatus, type StreamEvent, TaskViewerApiError, createTaskViewerClient } from '../../clients/task-viewer-client/src/index.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

const change = (id: number, taskId: number) =>
  `id: ${id}\nevent: task.updated\ndata: ${JSON.stringify({ id: String(id), type: 'task.updated', project_id: 'deadbeef', task_id: taskId, entity_id: null, etag: null, changed: ['status'], source: 'api', at: '2026-11-24T17:23:28.260Z' })}\n\n`;

describe('events() helper', () => {
  it('streams with X-API-Key, reconnects after a drop with Last-Event-ID, and ends on abort', async () => {
    const seen: Array<{ key: string | undefined; last: string | undefined; query: string }> = [];
    const base = await serve((req, res) => {
      seen.push({ key: req.headers['x-api-key'] as string | undefined, last: req.headers['last-event-id'] as string | undefined, query: req.url ?? '' });
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      if (seen.length === 1) {
        // First connection: one event split across writes, then the server hangs up.
        const text = `retry: 10\n: heartbeat\n\n${change(1, 5)}`;
        res.write(text.slice(0, 40));
        setTimeout(() => res.end(text.slice(40)), 20);
      } else {
        res.write(change(2, 6));
        res.write('event: stream.reset\ndata: {"reason":"replay window passed"}\n\n');
      }
    });
    const tv = createTaskViewerClient({ baseUrl: base, apiKey: 'k-123' });
    const controller = new AbortController();
    const statuses: EventsStatus[] = [];
    const events: StreamEvent[] = [];
    for await (const ev of tv.events({ project_id: 'deadbeef', signal: controller.signal, onStatus: (s) => statuses.push(s) })) {
      events.push(ev);
      if (events.length === 3) controller.abort();
    }
    expect(events.map((e) => [e.kind, e.type, e.id])).toEqual([
      ['change', 'task.updated', '1'],
      ['change', 'task.updated', '2'],
      ['control', 'stream.reset', '2'],
    ]);
    expect(events[0]!.kind === 'change' && events[0]!.data.task_id).toBe(5);
    expect(events[2]!.data).toEqual({ reason: 'replay window passed' });
    expect(seen[0]).toEqual({ key: 'k-123', last: undefined, query: '/api/v1/events?project_id=deadbeef' });
    expect(seen[1]).toEqual({ key: 'k-123', last: '1', query: '/api/v1/events?project_id=deadbeef' });
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting', 'open', 'closed']);
  });

  it('retries a 503 and gives up at once on a 401 with the error body', async () => {
    let calls = 0;
    const base = await serve((req, res) => {
      calls++;
      const body = (status: number, error: string) => JSON.stringify({ error, message: error, status_code: status, request_id: 'r1' });
      if (calls === 1) {
        res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '0' });
        res.end(body(503, 'service_unavailable'));
      } else {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(body(401, 'unauthorized'));
      }
    });
    const tv = createTaskViewerClient({ baseUrl: base, apiKey: 'wrong' });
    const statuses: EventsStatus[] = [];
    const run = async () => {
      for await (const _ of tv.events({ retryMs: 10, onStatus: (s) => statuses.push(s) })) {
        // no events expected
      }
    };
    const err = await run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskViewerApiError);
    expect((err as TaskViewerApiError).status).toBe(401);
    expect((err as TaskViewerApiError).code).toBe('unauthorized');
    expect(calls).toBe(2);
    expect(statuses).toEqual(['connecting', 'reconnecting', 'closed']);
  });

  it('reconnects when the stream goes silent for longer than idleTimeoutMs', async () => {
    let calls = 0;
    const base = await serve((_req, res) => {
      calls++;
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      if (calls === 1) res.write(': open but then silent\n\n');
      else res.write(change(9, 1));
    });
    const tv = createTaskViewerClient({ baseUrl: base });
    const controller = new AbortController();
    for await (const ev of tv.events({ signal: controller.signal, idleTimeoutMs: 200, retryMs: 10 })) {
      expect(ev.id).toBe('9');
      controller.abort();
    }
    expect(calls).toBe(2);
  });
});
