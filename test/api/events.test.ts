/**
 * Live updates (GET /api/v1/events): writes through the API and writes made straight to the task-mcp
 * files by a separate MCP server process reach subscribers; Last-Event-ID resumes; nothing leaks to
 * subscribers of another project; EventSource tokens work and are never logged; slow readers are cut off.
 */
import { createConnection } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, type Harness, startHarness } from '../helpers/api-harness.js';
import { type SseClient, openSse } from '../helpers/sse-client.js';
import { STDIO_ENTRY } from '../../src/taskmcp/index.js';

describe('live events', () => {
  let h: Harness;
  let base: string;
  let alpha: string;
  let beta: string;
  const logLines: string[] = [];
  const streams: SseClient[] = [];
  const open = async (query: string, headers: Record<string, string> = { 'X-API-Key': API_KEY }) => {
    const s = await openSse(`${base}/api/v1/events?${query}`, headers);
    streams.push(s);
    return s;
  };
  const post = (project: string, body: object) => h.request.post(`/api/v1/tasks?project_id=${project}`).set('X-API-Key', API_KEY).send(body);

  beforeAll(async () => {
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }));
    h = await startHarness({ CHANGE_POLL_MS: '100' }, log);
    for (const name of ['alpha', 'beta']) await h.call('create_task', { workspace_path: `${h.tmp}/ws/${name}`, title: `${name} seed` });
    await h.runtime.services.resolver.refresh();
    const id = (name: string) => h.runtime.services.resolver.projects().find((p) => p.workspace_path.endsWith(`/ws/${name}`))!.id;
    [alpha, beta] = [id('alpha'), id('beta')];
    base = await h.listen();
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await h?.close();
  });

  it('a write through the API reaches the subscriber with its ETag and changed fields', async () => {
    const sub = await open(`project_id=${alpha}`);
    expect(sub.status).toBe(200);
    const created = await post(alpha, { title: 'Live one' }).expect(201);
    const e = await sub.waitFor((x) => x.event === 'task.created' && x.data.task_id === created.body.id, 2_000, 'task.created');
    expect(e.data).toMatchObject({ type: 'task.created', project_id: alpha, etag: created.headers.etag, source: 'api' });
    expect(e.id).toBe(e.data.id);
    const patched = await h.request.patch(`/api/v1/tasks/${created.body.id}?project_id=${alpha}`).set('X-API-Key', API_KEY).send({ priority: 'high' }).expect(200);
    const u = await sub.waitFor((x) => x.event === 'task.updated' && x.data.task_id === created.body.id, 2_000, 'task.updated');
    expect(u.data).toMatchObject({ etag: patched.headers.etag, changed: ['priority'] });
  });

  it('a write made straight to the files by another task-mcp process arrives within 2 s', async () => {
    const sub = await open(`project_id=${alpha}`);
    const transport = new StdioClientTransport({ command: process.execPath, args: [STDIO_ENTRY], env: { ...process.env, TASK_MCP_HOME: h.home } as Record<string, string> });
    const other = new Client({ name: 'an-ai-client', version: '1' });
    await other.connect(transport);
    try {
      const started = Date.now();
      const result = await other.callTool({ name: 'create_task', arguments: { workspace_path: `${h.tmp}/ws/alpha`, title: 'Written by task-mcp' } });
      const id = (result.structuredContent as { id: number }).id;
      const e = await sub.waitFor((x) => x.event === 'task.created' && x.data.task_id === id, 2_000, 'the external create');
      expect(e.data).toMatchObject({ source: 'external', project_id: alpha });
      expect(Date.now() - started).toBeLessThan(2_000);
      // The read cache learned of it too: the list shows the task at once.
      const list = await h.get(`/api/v1/tasks?project_id=${alpha}&limit=100`).expect(200);
      expect(list.body.tasks.map((t: { id: number }) => t.id)).toContain(id);
    } finally {
      await other.close();
    }
  });

  it('resumes with Last-Event-ID: missed events are replayed in order', async () => {
    const first = await open(`project_id=${alpha}`);
    const a = await post(alpha, { title: 'Before the gap' }).expect(201);
    const seen = await first.waitFor((x) => x.data?.task_id === a.body.id, 2_000);
    first.close();
    const missed: number[] = [];
    for (let i = 0; i < 3; i++) missed.push((await post(alpha, { title: `Missed ${i}` }).expect(201)).body.id);
    const resumed = await open(`project_id=${alpha}`, { 'X-API-Key': API_KEY, 'Last-Event-ID': seen.id! });
    for (const id of missed) await resumed.waitFor((x) => x.data?.task_id === id, 2_000, `replay of ${id}`);
    const order = resumed.events.filter((x) => missed.includes(x.data?.task_id)).map((x) => x.data.task_id);
    expect(order).toEqual(missed);
    const unknown = await open(`project_id=${alpha}`, { 'X-API-Key': API_KEY, 'Last-Event-ID': 'ffffffff-1' });
    await unknown.waitFor((x) => x.event === 'stream.reset', 2_000, 'stream.reset');
  });

  it('sends nothing of another project', async () => {
    const onlyAlpha = await open(`project_id=${alpha}`);
    const betaTask = await post(beta, { title: 'Beta only' }).expect(201);
    const marker = await post(alpha, { title: 'Marker' }).expect(201);
    await onlyAlpha.waitFor((x) => x.data?.task_id === marker.body.id, 2_000, 'the marker');
    expect(onlyAlpha.events.some((x) => x.data?.project_id === beta || x.data?.task_id === betaTask.body.id)).toBe(false);
    const everything = await open('');
    const again = await post(beta, { title: 'Beta again' }).expect(201);
    await everything.waitFor((x) => x.data?.task_id === again.body.id && x.data.project_id === beta, 2_000);
  });

  it('EventSource can authenticate with a short-lived token, which is never logged', async () => {
    const token = (await h.request.post('/api/v1/events/tokens').set('X-API-Key', API_KEY).expect(201)).body.token as string;
    const sub = await open(`project_id=${alpha}&access_token=${token}`, {});
    expect(sub.status).toBe(200);
    const created = await post(alpha, { title: 'Token stream' }).expect(201);
    await sub.waitFor((x) => x.data?.task_id === created.body.id, 2_000);
    expect((await fetch(`${base}/api/v1/events?access_token=evt_not-a-token`)).status).toBe(401);
    // The token is only for the events stream.
    expect((await fetch(`${base}/api/v1/projects?access_token=${token}`)).status).toBe(401);
    expect(logLines.join('\n')).not.toContain(token);
    expect(logLines.join('\n')).toContain('access_token=[redacted]');
  });

  it('cuts off a subscriber that does not read, instead of buffering without bound', async () => {
    for (const s of streams.splice(0)) s.close();
    await waitUntil(() => h.runtime.events.subscribers === 0);
    const before = 0;
    const url = new URL(`${base}/api/v1/events?project_id=${alpha}`);
    const socket = createConnection({ host: url.hostname, port: Number(url.port) });
    socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${API_KEY}\r\n\r\n`);
    socket.pause(); // never read
    try {
      await waitUntil(() => h.runtime.events.subscribers === before + 1);
      // Big events fill the socket's buffers quickly; the stream must be dropped, not queue them all.
      const big = 'x'.repeat(10_000);
      let published = 0;
      while (h.runtime.events.subscribers > before && published < 20_000) {
        await h.runtime.bus.publish({ type: 'task.updated', project_id: alpha, task_id: 1, entity_id: null, etag: null, changed: [big], source: 'api', at: new Date().toISOString() });
        published++;
        if (published % 100 === 0) await new Promise((r) => setImmediate(r));
      }
      expect(h.runtime.events.subscribers).toBe(before);
      expect(published).toBeLessThan(20_000);
    } finally {
      socket.destroy();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
