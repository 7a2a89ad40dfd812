/** ReadCache: cache-aside per workspace scope; a write's invalidation is never undone by a read in flight. */
import { describe, expect, it } from 'vitest';
import { MemoryCacheStore } from '../../src/cache/memory-store.js';
import { ReadCache } from '../../src/cache/read-cache.js';

const cache = (ttlMs = 60_000) => new ReadCache(new MemoryCacheStore(100), { ttlMs });

describe('ReadCache', () => {
  it('loads once, then serves hits', async () => {
    const c = cache();
    let loads = 0;
    const load = async () => ++loads;
    expect(await c.getOrLoad('ws', 'k', load)).toBe(1);
    expect(await c.getOrLoad('ws', 'k', load)).toBe(1);
    expect(loads).toBe(1);
    expect([c.hits, c.misses]).toEqual([1, 1]);
  });

  it('concurrent misses of one key share one load', async () => {
    const c = cache();
    let loads = 0;
    const results = await Promise.all(Array.from({ length: 5 }, () => c.getOrLoad('ws', 'k', async () => ++loads)));
    expect(results).toEqual([1, 1, 1, 1, 1]);
    expect(loads).toBe(1);
  });

  it('invalidating a scope makes its next reads miss, and leaves other scopes alone', async () => {
    const c = cache();
    let n = 0;
    await c.getOrLoad('a', 'k', async () => ++n);
    await c.getOrLoad('b', 'k', async () => ++n);
    await c.invalidate('a');
    expect(await c.getOrLoad('a', 'k', async () => ++n)).toBe(3);
    expect(await c.getOrLoad('b', 'k', async () => ++n)).toBe(2);
  });

  it('a read in flight during a write cannot resurrect what it loaded', async () => {
    const c = cache();
    let release!: (v: string) => void;
    const slow = c.getOrLoad('ws', 'k', () => new Promise<string>((r) => (release = r)));
    await c.invalidate('ws'); // the write lands while the read is still loading
    release('before the write');
    expect(await slow).toBe('before the write');
    expect(await c.getOrLoad('ws', 'k', async () => 'after the write')).toBe('after the write');
  });

  it('TTL 0 disables it: every read loads', async () => {
    const c = cache(0);
    let loads = 0;
    await c.getOrLoad('ws', 'k', async () => ++loads);
    await c.getOrLoad('ws', 'k', async () => ++loads);
    expect(loads).toBe(2);
    expect(c.enabled).toBe(false);
  });
});
