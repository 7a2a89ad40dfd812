/** The export download helper's file name handling (Content-Disposition) and its refusal of non-2xx answers. */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { TaskViewerApiError, createTaskViewerClient, filenameFromDisposition, taskSort } from '../../clients/task-viewer-client/src/index.js';

describe('filenameFromDisposition', () => {
  it('reads filename*, quoted and bare names', () => {
    expect(filenameFromDisposition(`attachment; filename="tasks-alpha-2026-11-24.csv"`)).toBe('tasks-alpha-2026-11-24.csv');
    expect(filenameFromDisposition(`attachment; filename="a\\"b.csv"; filename*=UTF-8''caf%C3%A9.csv`)).toBe('café.csv');
    expect(filenameFromDisposition('attachment; filename=plain.md')).toBe('plain.md');
    expect(filenameFromDisposition('attachment')).toBeUndefined();
    expect(filenameFromDisposition(null)).toBeUndefined();
  });
});

describe('exportTasks()', () => {
  let server: Server;
  let base: string;
  const urls: string[] = [];
  afterAll(() => new Promise((r) => server.close(r)));

  it('returns the body unread with the suggested base name, and throws the API error on a 400', async () => {
    server = createServer((req, res) => {
      urls.push(req.url ?? '');
      if (req.url?.includes('format=md')) {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'validation_error', message: 'bad', status_code: 400, request_id: 'r' }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="../../etc/tasks.csv"' });
      res.end('id,title\r\n1,A\r\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const tv = createTaskViewerClient({ baseUrl: base, apiKey: 'k' });
    const file = await tv.exportTasks({ format: 'csv', project_id: 'deadbeef', status: ['todo', 'done'], sort: taskSort('-priority', 'id') });
    expect(file.filename).toBe('tasks.csv');
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    expect(await file.response.text()).toBe('id,title\r\n1,A\r\n');
    expect(urls[0]).toBe('/api/v1/tasks/export?format=csv&project_id=deadbeef&status=todo&status=done&sort=-priority%2Cid');
    const err = await tv.exportTasks({ format: 'md' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskViewerApiError);
    expect((err as TaskViewerApiError).code).toBe('validation_error');
  });
});
