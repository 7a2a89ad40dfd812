/** SessionPool's promises, against a fake session factory. */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { McpUnavailableError } from '../../src/mcp/errors.js';
import { SessionPool } from '../../src/mcp/pool.js';
import { fakeSessions } from '../helpers/fake-sessions.js';
import { waitFor } from '../helpers/processes.js';

const log = pino({ level: 'silent' });
let pool: SessionPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

const make = (size: number, extra: Partial<ConstructorParameters<typeof SessionPool>[1]> = {}) => {
  const fake = fakeSessions();
  pool = new SessionPool(fake.factory, { size, acquireTimeoutMs: 5_000, maxWaiting: 10, ...extra }, log);
  return { fake, pool };
};

describe('SessionPool', () => {
  it('opens `size` sessions once and hands the same ones out again', async () => {
    const { fake, pool } = make(2);
    await pool.start();
    expect(fake.opened).toHaveLength(2);
    for (let i = 0; i < 10; i++) pool.release(await pool.acquire());
    expect(fake.opened).toHaveLength(2);
    expect(pool.stats()).toMatchObject({ size: 2, live: 2, idle: 2, busy: 0 });
  });

  it('queues callers beyond the sessions and serves them in order as sessions come back', async () => {
    const { pool } = make(1);
    await pool.start();
    const held = await pool.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => pool.acquire().then((s) => (order.push(n), pool.release(s))));
    expect(pool.stats().waiting).toBe(3);
    pool.release(held);
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
  });

  it('refuses at once beyond maxWaiting, and gives up on a caller after acquireTimeoutMs', async () => {
    const { pool } = make(1, { maxWaiting: 1, acquireTimeoutMs: 30 });
    await pool.start();
    await pool.acquire();
    const timedOut = pool.acquire();
    await expect(pool.acquire()).rejects.toThrow(/Too many requests are waiting/);
    await expect(timedOut).rejects.toBeInstanceOf(McpUnavailableError);
  });

  it('replaces a discarded session and one whose transport closed', async () => {
    const { fake, pool } = make(2);
    await pool.start();
    const a = await pool.acquire();
    pool.discard(a, 'test');
    expect(fake.opened[0]!.closed).toBe(true);
    await waitFor(() => pool.stats().live === 2 && fake.opened.length === 3, 5_000, 'replacement');
    fake.opened[1]!.die();
    await waitFor(() => pool.stats().live === 2 && fake.opened.length === 4, 5_000, 'replacement after close');
    expect(pool.sessions().every((s) => !fake.opened[s.pid! - 1000]!.closed)).toBe(true);
  });

  it('keeps trying to open sessions that fail, with backoff', async () => {
    const fake = fakeSessions();
    fake.failNext(3);
    pool = new SessionPool(fake.factory, { size: 1, acquireTimeoutMs: 10_000, maxWaiting: 10 }, log);
    await pool.start();
    expect(pool.stats().live).toBe(0);
    const session = await pool.acquire(); // waits for the retries to succeed
    expect(session).toBeDefined();
  });

  it('recycles idle sessions that no longer answer a ping', async () => {
    const { fake, pool } = make(2);
    await pool.start();
    fake.opened[0]!.closed = true; // dead but nobody noticed
    await pool.pingIdle(0, 1_000);
    await waitFor(() => fake.opened.length === 3 && pool.stats().live === 2, 5_000, 'replacement');
  });

  it('close() rejects waiters and closes every session', async () => {
    const { fake, pool: p } = make(1);
    await p.start();
    await p.acquire();
    const waiter = p.acquire();
    await p.close();
    await expect(waiter).rejects.toThrow(/shutting down/);
    expect(fake.opened.every((s) => s.closed)).toBe(true);
    await expect(p.acquire()).rejects.toThrow(/shut down/);
    pool = undefined;
  });
});
