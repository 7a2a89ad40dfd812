/**
 * API keys: compared as sha256 digests in constant time, so plain keys (`API_KEYS`) and digests
 * (`API_KEY_HASHES`) work alike. A key is identified in logs by a short id derived from its digest,
 * never by the key itself. With nothing configured, a key is generated once and kept (mode 0600).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ApiKeyIdentity {
  /** `key_` + the first 12 hex digits of the key's sha256: safe to log and to record as created_by. */
  id: string;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export class ApiKeyVerifier {
  private readonly digests: Buffer[];

  constructor(plainKeys: string[], hexDigests: string[]) {
    this.digests = [...plainKeys.map(sha256), ...hexDigests.map((h) => Buffer.from(h, 'hex'))];
    if (this.digests.length === 0) throw new Error('at least one API key is required');
  }

  /** The caller's identity, or undefined for a missing or wrong key. */
  verify(candidate: string | undefined): ApiKeyIdentity | undefined {
    if (!candidate) return undefined;
    const digest = sha256(candidate);
    let match: Buffer | undefined;
    // Compare against every key (no early exit) so timing reveals nothing about which one matched.
    for (const known of this.digests) if (timingSafeEqual(known, digest)) match = known;
    return match ? { id: `key_${match.toString('hex').slice(0, 12)}` } : undefined;
  }
}

export interface KeySetup {
  verifier: ApiKeyVerifier;
  /** Set when a key was generated or loaded from the key file (so it can be shown to the operator). */
  generated?: { key: string; file: string; created: boolean };
}

/** Uses the configured keys, or the key file, creating it with a fresh random key on first start. */
export function setUpApiKeys(plainKeys: string[], hexDigests: string[], keyFile: string): KeySetup {
  if (plainKeys.length > 0 || hexDigests.length > 0) return { verifier: new ApiKeyVerifier(plainKeys, hexDigests) };
  let created = false;
  if (!existsSync(keyFile)) {
    mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, `tva_${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    created = true;
  }
  chmodSync(keyFile, 0o600);
  const key = readFileSync(keyFile, 'utf8').trim();
  if (!key) throw new Error(`API key file ${keyFile} is empty`);
  return { verifier: new ApiKeyVerifier([key], []), generated: { key, file: keyFile, created } };
}
