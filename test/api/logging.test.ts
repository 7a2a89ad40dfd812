/** Logs and proxies: one structured line per request, request ids throughout, keys never logged. */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { API_KEY, type Harness, startHarness } from '../helpers/api-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  vi.restoreAllMocks();
});

function capture(): { lines: any[]; log: pino.Logger } {
  const lines: any[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: pino({ level: 'info' }, sink) };
}

describe('request logs', () => {
  it('one line per request with route template, status, duration, request id and key id; never the key', async () => {
    const { lines, log } = capture();
    h = await startHarness({}, log);
    await h.get('/api/v1/tasks/42?workspace_path=/nowhere').set('X-Request-ID', 'req-abc-1');
    await h.request.get('/api/v1/projects').set('X-API-Key', 'not-the-key-xyz').set('X-Request-ID', 'req-abc-2');

    const completed = lines.filter((l) => l.msg === 'request completed' || l.res);
    const first = completed.find((l) => l.request_id === 'req-abc-1');
    expect(first).toMatchObject({ route: '/api/v1/tasks/{task_id}', api_key_id: expect.stringMatching(/^key_[0-9a-f]{12}$/), res: { statusCode: 403 } });
    expect(first.responseTime).toEqual(expect.any(Number));
    const rejected = lines.find((l) => l.msg === 'rejected API key');
    expect(rejected).toMatchObject({ request_id: 'req-abc-2', key_present: true });
    const second = completed.find((l) => l.request_id === 'req-abc-2');
    expect(second).toMatchObject({ res: { statusCode: 401 } });
    expect(second.api_key_id).toBeUndefined();

    const all = JSON.stringify(lines);
    expect(all).not.toContain(API_KEY);
    expect(all).not.toContain('not-the-key-xyz');
  });
});

describe('behind a proxy', () => {
  const anonymous = (xff: string) => h!.request.get('/api/v1/projects').set('X-Forwarded-For', xff);

  it('with TRUST_PROXY, clients behind the proxy are limited separately', async () => {
    const warnings = vi.spyOn(console, 'error');
    h = await startHarness({ TRUST_PROXY: 'loopback', RATE_LIMIT_PER_MINUTE: '2' });
    const a = [await anonymous('203.0.113.1'), await anonymous('203.0.113.1'), await anonymous('203.0.113.1')].map((r) => r.status);
    const b = (await anonymous('203.0.113.2')).status;
    expect(a).toEqual([401, 401, 429]);
    expect(b).toBe(401);
    expect(warnings.mock.calls.flat().join(' ')).not.toMatch(/ERR_ERL/);
  });

  it('without it, X-Forwarded-For is ignored (no spoofing around the limit)', async () => {
    h = await startHarness({ RATE_LIMIT_PER_MINUTE: '2' });
    const statuses = [await anonymous('198.51.100.1'), await anonymous('198.51.100.2'), await anonymous('198.51.100.3')].map((r) => r.status);
    expect(statuses).toEqual([401, 401, 429]);
  });
});
