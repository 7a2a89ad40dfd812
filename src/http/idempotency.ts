/**
 * Idempotency-Key for POST: the first request with a key runs; a retry with the same key (from the
 * same API key) gets the first result, and concurrent duplicates wait for it instead of running.
 * Only successful results are kept: a failed request frees its key so a retry runs again.
 */
import { createHash } from 'node:crypto';
import type { IdempotencyRecord, IdempotencyStore } from '../cache/store.js';
import { ConflictError } from '../domain/errors.js';
import { HttpError } from './error-format.js';

export interface IdempotencyOptions {
  ttlMs: number;
  /** How long a duplicate waits for the first request before giving up with 409. */
  waitMs: number;
}

export interface Outcome {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export class IdempotencyGuard {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly options: IdempotencyOptions,
  ) {}

  /** Runs `execute` once per (caller, key); `request` identifies the request's content. */
  async run(caller: string, key: string | undefined, request: unknown, execute: () => Promise<Outcome>): Promise<Outcome & { replayed: boolean }> {
    if (!key) return { ...(await execute()), replayed: false };
    const storeKey = `${caller}:${key}`;
    const fingerprint = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const deadline = Date.now() + this.options.waitMs;

    for (;;) {
      const claim = await this.store.claim(storeKey, fingerprint, this.options.ttlMs);
      if (claim.state === 'claimed') break;
      const seen = claim.state === 'done' ? claim.record.fingerprint : claim.fingerprint;
      if (seen !== fingerprint) {
        throw new HttpError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different request');
      }
      if (claim.state === 'done') return { ...replay(claim.record), replayed: true };
      if (Date.now() > deadline) {
        throw new ConflictError('A request with this Idempotency-Key is still being processed', 'idempotency_in_progress');
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    let outcome: Outcome;
    try {
      outcome = await execute();
    } catch (err) {
      await this.store.release(storeKey);
      throw err;
    }
    const record: IdempotencyRecord = { fingerprint, ...outcome };
    await this.store.complete(storeKey, record, this.options.ttlMs);
    return { ...outcome, replayed: false };
  }
}

function replay(record: IdempotencyRecord): Outcome {
  return { status: record.status, body: record.body, headers: { ...record.headers, 'Idempotent-Replayed': 'true' } };
}
