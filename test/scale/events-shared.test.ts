/**
 * Two instances on one local store and one Redis, each with its change watcher on: a change reaches
 * both instances' event streams exactly once, whether it was made through an instance (which
 * announces it, while the other's watcher also finds it in the store) or straight to the store by
 * another MCP client (which both watchers find). The shared dedup store makes it one event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, type Harness } from '../helpers/api-harness.js';
import { startInstances } from '../helpers/instances.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { type SseClient, openSse } from '../helpers/sse-client.js';

let redis: RedisServer;
let home: string;
let instances: Harness[] = [];
let urls: string[] = [];
let query: string;
let ws: string;

beforeAll(async () => {
  redis = await startRedis();
  home = mkdtempSync(path.join(os.tmpdir(), 'tva-events-'));
  try {
    ({ instances, urls, query, ws } = await startInstances(2, home, { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'events-test:', CHANGE_POLL_MS: '100' }));
  } catch (err) {
    await redis.stop();
    throw err;
  }
}, 90_000);

afterAll(async () => {
  await Promise.allSettled(instances.map((h) => h.close()));
  await redis?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** Both watchers have looked at the store at least `n` more times. */
async function polls(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.all(instances.map((h) => h.runtime.watcher!.poll()));
}

describe('events with shared watchers', () => {
  it('one event per change on every instance, for writes through an instance and straight to the store', async () => {
    const streams: SseClient[] = await Promise.all(urls.map((u) => openSse(`${u}/api/v1/events?${query}`, { 'X-API-Key': API_KEY })));
    try {
      const res = await fetch(`${urls[0]}/api/v1/tasks?${query}`, { method: 'POST', headers: { 'X-API-Key': API_KEY, 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'through A' }) });
      const throughA = ((await res.json()) as { id: number }).id;
      const external = (await instances[1].call('create_task', { workspace_path: ws, title: 'straight to the store' })) as { id: number };
      const created = (id: number) => (e: { event: string; data: any }) => e.event === 'task.created' && e.data.task_id === id;
      for (const s of streams) {
        await s.waitFor(created(throughA), 2_000, 'the create through A');
        await s.waitFor(created(external.id), 2_000, 'the external create');
      }
      await polls(3);
      for (const s of streams) {
        expect(s.events.filter(created(throughA))).toHaveLength(1);
        expect(s.events.filter(created(external.id))).toHaveLength(1);
      }
      expect(streams[0]!.events.find(created(throughA))!.data.source).toBe('api');
      expect(streams[1]!.events.find(created(external.id))!.data.source).toBe('external');
    } finally {
      for (const s of streams) s.close();
    }
  });
});
