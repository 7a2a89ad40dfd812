/**
 * Idempotency-Key for POST: the first request with a key runs; a retry with the same key (from the
 * same API key and with the same body) gets the first answer, and concurrent duplicates wait for it
 * instead of running. What happens when the first attempt fails:
 * - a refusal or a failure before the backend got the call (4xx, no session, breaker open): the key
 *   is freed, a retry runs again;
 * - a failure after the call was sent (timeout, lost session): the write may have been applied, so the
 *   key stays claimed as "outcome unknown". Once the attempt is settled (the session that ran it was
 *   stopped for good), the guard looks for what it created (`probe`): found, the key completes with it;
 *   not found, the key is freed. Until then a retry waits, or gets 409 `idempotency_outcome_unknown`
 *   with Retry-After. The same key therefore never runs the write twice.
 * docs/decisions/0007-idempotency-outcomes.md explains the choice.
 *
 * With a shared store (Redis) that fails: a key that cannot be claimed answers 503 + Retry-After (the
 * write does not run, so it cannot run twice); a write that ran but whose answer could not be recorded
 * still answers normally; its claim stays pending and, after the store's lease, counts as an unknown
 * outcome that the probe settles.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { IdempotencyRecord, IdempotencyStore } from '../cache/store.js';
import { ConflictError, TimeoutError, UnavailableError, type UnknownOutcome } from '../domain/errors.js';
import { HttpError } from './error-format.js';

export interface IdempotencyOptions {
  ttlMs: number;
  /** How long a duplicate waits for the first request before giving up with 409. */
  waitMs: number;
  /**
   * After this long an "outcome unknown" claim may be settled by any instance (the one that made it
   * may be gone): by then the attempt has surely ended (call timeout plus stopping the session).
   */
  settleMs: number;
}

export interface Outcome {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** Looks for what a first attempt created, given when it started; undefined when it created nothing. */
export type Probe = (since: Date) => Promise<Outcome | undefined>;

const POLL_MS = 10;

function outcomeOf(err: unknown): UnknownOutcome | undefined {
  return err instanceof TimeoutError || err instanceof UnavailableError ? err.outcome : undefined;
}

export class IdempotencyGuard {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly options: IdempotencyOptions,
    private readonly log?: Logger,
  ) {}

  /** Runs `execute` once per (caller, key); `request` identifies the request's content. */
  async run(caller: string, key: string | undefined, request: unknown, execute: () => Promise<Outcome>, probe?: Probe): Promise<Outcome & { replayed: boolean }> {
    if (!key) return { ...(await execute()), replayed: false };
    const storeKey = `${caller}:${key}`;
    const fingerprint = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const deadline = Date.now() + this.options.waitMs;

    for (;;) {
      const claim = await this.store.claim(storeKey, fingerprint, this.options.ttlMs).catch((err: unknown) => {
        this.log?.debug({ err }, 'could not claim an Idempotency-Key');
        throw new UnavailableError('Idempotency-Key records cannot be checked right now, so the request was not run: retry later', 1);
      });
      if (claim.state === 'claimed') break;
      const seen = claim.state === 'done' ? claim.record.fingerprint : claim.fingerprint;
      if (seen !== fingerprint) {
        throw new HttpError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different request');
      }
      if (claim.state === 'done') return { ...replay(claim.record), replayed: true };
      // An unknown outcome whose attempt has surely ended, while nobody settled it (its instance died?).
      if (claim.state === 'unknown' && probe && Date.now() - claim.since >= this.options.settleMs) {
        await this.settle(storeKey, fingerprint, new Date(claim.since), probe);
        continue;
      }
      if (Date.now() > deadline) {
        if (claim.state === 'unknown') {
          const retryAfter = Math.max(1, Math.ceil((claim.since + this.options.settleMs - Date.now()) / 1000));
          throw new HttpError(409, 'idempotency_outcome_unknown', 'The first request with this Idempotency-Key may or may not have been applied; it is being checked: retry later', retryAfter);
        }
        throw new ConflictError('A request with this Idempotency-Key is still being processed', 'idempotency_in_progress');
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }

    const since = new Date();
    let outcome: Outcome;
    try {
      outcome = await execute();
    } catch (err) {
      const unknown = outcomeOf(err);
      // A store that fails here leaves the claim pending; the lease turns it into an unknown outcome.
      if (unknown && probe) {
        await this.store.markUnknown(storeKey, fingerprint, since.getTime(), this.options.ttlMs).catch(this.warn('could not mark an Idempotency-Key as outcome unknown'));
        void unknown.settled.then(() => this.settle(storeKey, fingerprint, since, probe));
      } else {
        await this.store.release(storeKey).catch(this.warn('could not free an Idempotency-Key'));
      }
      throw err;
    }
    // The write was applied: answer it even if the record cannot be kept (the claim is settled later).
    await this.store.complete(storeKey, { fingerprint, ...outcome }, this.options.ttlMs).catch(this.warn('could not record the answer of an Idempotency-Key'));
    return { ...outcome, replayed: false };
  }

  private warn(message: string): (err: unknown) => void {
    return (err) => this.log?.warn({ err }, message);
  }

  /** Learns what an attempt with an unknown outcome did: completes the key with it, or frees the key. */
  private async settle(storeKey: string, fingerprint: string, since: Date, probe: Probe): Promise<void> {
    try {
      const found = await probe(since);
      if (found) await this.store.complete(storeKey, { fingerprint, ...found }, this.options.ttlMs);
      else await this.store.release(storeKey);
    } catch (err) {
      // Left as unknown: a later retry settles it (after settleMs) when the backend is back.
      this.log?.warn({ err }, 'could not settle an Idempotency-Key with an unknown outcome');
    }
  }
}

function replay(record: IdempotencyRecord): Outcome {
  if (record.bodyDropped) {
    throw new HttpError(409, 'idempotency_answer_not_kept', 'The request with this Idempotency-Key was applied, but its answer was too large to keep for a replay');
  }
  return { status: record.status, body: record.body, headers: { ...record.headers, 'Idempotent-Replayed': 'true' } };
}
