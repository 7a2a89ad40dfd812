/**
 * API keys: looked up by their sha256 digest, so plain keys (`API_KEYS`) and digests
 * (`API_KEY_HASHES`) work alike and no key is kept in memory in plain text. A key is identified in logs
 * by a short id derived from its digest, never by the key itself. Each key may carry scopes
 * (`API_KEY_SCOPES`): read-only or read-write, and an optional list of project ids; keys without scopes
 * have full access. With nothing configured, a key is generated once and kept (mode 0600).
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type Access = 'read' | 'read_write';

export interface KeyScope {
  access: Access;
  /** The projects the key may use; null for every project. */
  projects: readonly string[] | null;
}

export interface ApiKeyIdentity extends KeyScope {
  /** `key_` + the first 12 hex digits of the key's sha256: safe to log and to record as created_by. */
  id: string;
}

export const FULL_ACCESS: KeyScope = { access: 'read_write', projects: null };

const digestOf = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');
const idOf = (hexDigest: string): string => `key_${hexDigest.slice(0, 12)}`;

export class ApiKeyVerifier {
  private readonly byDigest = new Map<string, ApiKeyIdentity>();

  constructor(plainKeys: string[], hexDigests: string[], scopes: Record<string, KeyScope> = {}) {
    const digests = [...plainKeys.map(digestOf), ...hexDigests.map((h) => h.toLowerCase())];
    if (digests.length === 0) throw new Error('at least one API key is required');
    for (const digest of digests) this.byDigest.set(digest, { id: idOf(digest), ...(scopes[idOf(digest)] ?? FULL_ACCESS) });
    const known = new Set([...this.byDigest.values()].map((k) => k.id));
    for (const id of Object.keys(scopes)) {
      if (!known.has(id)) throw new Error(`API_KEY_SCOPES names ${id}, which is not one of the configured keys`);
    }
  }

  /**
   * The caller's identity, or undefined for a missing or wrong key. The lookup is by the digest of the
   * candidate (a hash-table probe), so its timing says nothing about the keys themselves.
   */
  verify(candidate: string | undefined): ApiKeyIdentity | undefined {
    if (!candidate) return undefined;
    return this.byDigest.get(digestOf(candidate));
  }

  identities(): ApiKeyIdentity[] {
    return [...this.byDigest.values()];
  }
}

export interface KeySetup {
  verifier: ApiKeyVerifier;
  /** Set when a key was generated or loaded from the key file (so it can be shown to the operator). */
  generated?: { key: string; file: string; created: boolean };
}

/** Uses the configured keys, or the key file, creating it with a fresh random key on first start. */
export function setUpApiKeys(plainKeys: string[], hexDigests: string[], keyFile: string, scopes: Record<string, KeyScope> = {}): KeySetup {
  if (plainKeys.length > 0 || hexDigests.length > 0) return { verifier: new ApiKeyVerifier(plainKeys, hexDigests, scopes) };
  let created = false;
  if (!existsSync(keyFile)) {
    mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, `tva_${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    created = true;
  }
  chmodSync(keyFile, 0o600);
  const key = readFileSync(keyFile, 'utf8').trim();
  if (!key) throw new Error(`API key file ${keyFile} is empty`);
  return { verifier: new ApiKeyVerifier([key], [], scopes), generated: { key, file: keyFile, created } };
}
