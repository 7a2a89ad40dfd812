/**
 * Idempotency-Key records in Redis, so a key retried on another instance (even at the same moment)
 * runs the write once and replays its answer. One key per record, `idem:<caller>:<key>`, holding JSON:
 * `pending` (claimed, running), `unknown` (sent but unanswered, see src/http/idempotency.ts) or `done`
 * (the answer to replay). The claim is one Lua script: SET NX PX, else return what is there.
 *
 * Two things the in-memory store never needed:
 * - an instance can die holding a claim. A `pending` claim older than `leaseMs` (longer than any
 *   request may run) is therefore reported as `unknown` since its claim time, and the guard settles it
 *   with the operation's probe on whichever instance the retry reaches (the created resource is
 *   replayed, or the key is freed): never a second run, never a wait on a request nobody runs;
 * - records are bounded per record (`maxRecordBytes`): a larger answer is kept without its body (the
 *   status and headers, Location included, still say what was done), so it never runs twice.
 * The records' total size is bounded by their TTL and by Redis's own `maxmemory`.
 * Errors propagate: the guard answers 503 for a claim it cannot make (never a second run).
 */
import type { Result } from 'ioredis';
import type { RedisConnection } from '../redis/connection.js';
import type { ClaimResult, IdempotencyRecord, IdempotencyStore } from './store.js';

type Slot =
  | { s: 'pending'; f: string; t: number }
  | { s: 'unknown'; f: string; since: number }
  | { s: 'done'; record: IdempotencyRecord };

/** Claims KEYS[1] with ARGV[1] for ARGV[2] ms, or returns the record already there. */
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    tvaIdemClaim(key: string, value: string, ttlMs: string): Result<string | null, Context>;
  }
}

export interface RedisIdempotencyOptions {
  /** After this long a `pending` claim counts as abandoned (its instance died): `unknown` from then. */
  leaseMs: number;
  maxRecordBytes: number;
}

export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly options: RedisIdempotencyOptions,
  ) {
    redis.client.defineCommand('tvaIdemClaim', { numberOfKeys: 1, lua: CLAIM });
  }

  async claim(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult> {
    const mine: Slot = { s: 'pending', f: fingerprint, t: Date.now() };
    const raw = await this.redis.guard(this.redis.client.tvaIdemClaim(this.keyOf(key), JSON.stringify(mine), String(ttlMs)));
    if (raw === null) return { state: 'claimed' };
    const slot = JSON.parse(raw) as Slot;
    if (slot.s === 'done') return { state: 'done', record: slot.record };
    if (slot.s === 'unknown') return { state: 'unknown', fingerprint: slot.f, since: slot.since };
    if (Date.now() - slot.t > this.options.leaseMs) return { state: 'unknown', fingerprint: slot.f, since: slot.t };
    return { state: 'pending', fingerprint: slot.f };
  }

  async complete(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
    let value = JSON.stringify({ s: 'done', record } satisfies Slot);
    if (Buffer.byteLength(value) > this.options.maxRecordBytes) {
      value = JSON.stringify({ s: 'done', record: { ...record, body: undefined, bodyDropped: true } } satisfies Slot);
    }
    await this.redis.guard(this.redis.client.set(this.keyOf(key), value, 'PX', ttlMs));
  }

  async markUnknown(key: string, fingerprint: string, since: number, ttlMs: number): Promise<void> {
    await this.redis.guard(this.redis.client.set(this.keyOf(key), JSON.stringify({ s: 'unknown', f: fingerprint, since } satisfies Slot), 'PX', ttlMs));
  }

  async release(key: string): Promise<void> {
    await this.redis.guard(this.redis.client.del(this.keyOf(key)));
  }

  private keyOf(key: string): string {
    return this.redis.keyOf('idem', key);
  }
}
