/** IdempotencyGuard with the memory store: one run per (caller, key), replays, waiting duplicates, mismatches. */
import { describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore } from '../../src/cache/memory-store.js';
import { HttpError } from '../../src/http/error-format.js';
import { IdempotencyGuard } from '../../src/http/idempotency.js';

const guard = () => new IdempotencyGuard(new MemoryIdempotencyStore(100), { ttlMs: 60_000, waitMs: 5_000, settleMs: 60_000 });
const created = (id: number) => async () => ({ status: 201, body: { id }, headers: { Location: `/x/${id}` } });

describe('IdempotencyGuard', () => {
  it('without a key every request runs', async () => {
    const g = guard();
    let runs = 0;
    await g.run('c', undefined, {}, async () => (runs++, { status: 201, body: {}, headers: {} }));
    await g.run('c', undefined, {}, async () => (runs++, { status: 201, body: {}, headers: {} }));
    expect(runs).toBe(2);
  });

  it('a retry with the same key replays the first answer and marks it', async () => {
    const g = guard();
    const first = await g.run('c', 'k1', { a: 1 }, created(1));
    const again = await g.run('c', 'k1', { a: 1 }, created(2));
    expect(first).toMatchObject({ body: { id: 1 }, replayed: false });
    expect(again).toMatchObject({ status: 201, body: { id: 1 }, replayed: true, headers: { Location: '/x/1', 'Idempotent-Replayed': 'true' } });
  });

  it('keys are per caller', async () => {
    const g = guard();
    await g.run('alice', 'k', {}, created(1));
    expect((await g.run('bob', 'k', {}, created(2))).body).toEqual({ id: 2 });
  });

  it('concurrent duplicates wait for the first instead of running', async () => {
    const g = guard();
    let runs = 0;
    const slow = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 30));
      return { status: 201, body: { id: runs }, headers: {} };
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => g.run('c', 'k', { same: true }, slow)));
    expect(runs).toBe(1);
    expect(results.every((r) => (r.body as { id: number }).id === 1)).toBe(true);
  });

  it('the same key with a different request is refused with 422', async () => {
    const g = guard();
    await g.run('c', 'k', { a: 1 }, created(1));
    const err = await g.run('c', 'k', { a: 2 }, created(2)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(422);
  });
});
