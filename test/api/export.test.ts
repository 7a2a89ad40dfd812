/**
 * Exports: the CSV parses back (with a CSV parser) to the same rows as the JSON list, formula cells are
 * neutralised, every format streams with a file name, filters and sort apply, and a large export runs
 * in bounded memory.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStore } from '../../bench/seed.js';
import { API_KEY, type Harness, startHarness } from '../helpers/api-harness.js';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

describe('exports', () => {
  let h: Harness;
  let q: string;
  beforeAll(async () => {
    h = await startHarness();
    const ws = `${h.tmp}/ws/export`;
    await h.call('create_task', { workspace_path: ws, title: 'Plain task', tags: 'a b' });
    for (const title of ['=SUM(A1:A9)', '+1', '-5', '@cmd', 'comma, "quote"\nnewline']) await h.call('create_task', { workspace_path: ws, title, description: 'd|e' });
    await h.call('create_entity', { workspace_path: ws, entity_type: 'file', name: 'A file', identifier: 'src/a.ts', metadata: { k: [1, 2] } });
    await h.runtime.services.resolver.refresh();
    q = `project_id=${h.runtime.services.resolver.projects().find((p) => p.workspace_path === ws)!.id}`;
  });
  afterAll(() => h?.close());

  const download = (url: string) => h.get(url).buffer(true).parse((res, cb) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    res.on('end', () => cb(null, text));
  });

  it('CSV parses back to the rows of the JSON list, with formula cells neutralised', async () => {
    const list = (await h.get(`/api/v1/tasks?${q}&sort=id&limit=100`).expect(200)).body.tasks;
    const res = await download(`/api/v1/tasks/export?${q}&sort=id&format=csv`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="tasks-[0-9a-f]{8}-\d{4}-\d\d-\d\d\.csv"$/);
    const text = res.body as string;
    expect(text.startsWith('\ufeff')).toBe(true);
    const rows = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => Number(r.id))).toEqual(list.map((t: any) => t.id));
    const neutral = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
    rows.forEach((row, i) => {
      const t = list[i];
      expect(row.title).toBe(neutral(t.title));
      expect(row.status).toBe(t.status);
      expect(row.tags).toBe(t.tags.join(' '));
      expect(JSON.parse(row.depends_on!)).toEqual(t.depends_on);
      expect(JSON.parse(row.blocks_task_ids!)).toEqual(t.blocks_task_ids);
      expect(row.description).toBe(t.description ?? '');
      expect(row.created_at).toBe(t.created_at);
      expect(row.is_blocker).toBe(String(t.is_blocker));
    });
    expect(rows.find((r) => r.title!.includes('SUM'))!.title).toBe("'=SUM(A1:A9)");
    expect(rows.find((r) => r.title!.includes('quote'))!.title).toBe('comma, "quote"\nnewline');
  });

  it('a gzip download holds exactly the bytes of the plain one', async () => {
    const url = `/api/v1/tasks/export?${q}&sort=id&format=json`;
    const plain = await download(url).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    // supertest inflates what it receives; the header shows it was compressed on the wire.
    const zipped = await download(url).set('Accept-Encoding', 'gzip').expect(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body).toBe(plain.body);
  });

  it('JSON, NDJSON and Markdown carry the same tasks; filters and sort apply', async () => {
    const list = (await h.get(`/api/v1/tasks?${q}&sort=-title&q=d%7Ce`).expect(200)).body.tasks;
    const json = JSON.parse((await download(`/api/v1/tasks/export?${q}&sort=-title&q=d%7Ce&format=json`).expect(200)).body);
    expect(json).toEqual(list);
    const nd = ((await download(`/api/v1/tasks/export?${q}&sort=-title&q=d%7Ce&format=ndjson`).expect(200)).body as string).trim().split('\n').map((l) => JSON.parse(l));
    expect(nd).toEqual(list);
    const md = (await download(`/api/v1/tasks/export?${q}&sort=-title&q=d%7Ce&format=md`).expect(200)).body as string;
    expect(md.split('\n')[0]).toBe('| id | title | status | priority | tags | parent_task_id | updated_at |');
    expect(md.split('\n').filter((l) => l.startsWith('| ') && /^\| \d/.test(l))).toHaveLength(list.length);
    expect(md).toContain('comma, "quote"<br>newline');
    const empty = JSON.parse((await download(`/api/v1/tasks/export?${q}&status=cancelled&format=json`).expect(200)).body);
    expect(empty).toEqual([]);
  });

  it('exports entities with metadata as JSON text', async () => {
    const res = await download(`/api/v1/entities/export?${q}&format=csv`).expect(200);
    const rows = parse(res.body, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.metadata!)).toEqual({ k: [1, 2] });
    expect(rows[0]!.linked_tasks_count).toBe('0');
  });

  it('an unknown project is a 404 before any byte of the file', async () => {
    const res = await h.get('/api/v1/tasks/export?project_id=deadbeef&format=csv').expect(404);
    expect(res.body.error).toBe('not_found');
  });
});

describe('a large export', () => {
  let h: Harness;
  let small: string;
  let large: string;
  beforeAll(async () => {
    h = await startHarness({ CACHE_TTL_MS: '0' });
    const [s1, s2] = seedStore(h.home, path.join(h.tmp, 'ws'), [{ name: 'small', tasks: 2_000 }, { name: 'large', tasks: 40_000 }]);
    await h.runtime.services.resolver.refresh();
    [small, large] = [s1!.projectId, s2!.projectId];
  }, 120_000);
  afterAll(() => h?.close());

  // Live memory, not garbage: a collection before each sample, so the figure does not depend on when the
  // collector happens to run on a busy machine.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const live = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };

  /** Streams one export, reading as it arrives; returns its size and the peak live heap growth meanwhile. */
  async function measure(projectId: string): Promise<{ bytes: number; lines: number; peak: number }> {
    const base = await h.listen();
    const before = live();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, live() - before)), 50);
    let bytes = 0;
    let lines = 0;
    try {
      const res = await fetch(`${base}/api/v1/tasks/export?project_id=${projectId}&format=ndjson`, { headers: { 'X-API-Key': API_KEY } });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        bytes += value.length;
        for (const b of value) if (b === 10) lines++;
      }
    } finally {
      clearInterval(sampler);
    }
    return { bytes, lines, peak };
  }

  it('streams: twenty times the tasks do not take twenty times the memory', async () => {
    await measure(small); // warm up code paths and caches
    const a = await measure(small);
    const b = await measure(large);
    expect(b.lines).toBeGreaterThan(a.lines * 16);
    expect(b.bytes).toBeGreaterThan(30_000_000);
    // Buffering the whole export would keep its text (30 MB+) and its objects (several times that)
    // alive; streaming keeps a few pages alive, whatever the size.
    expect(b.peak).toBeLessThan(24 * 1024 * 1024);
  }, 120_000);
});
