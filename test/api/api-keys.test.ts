import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiKeyVerifier, setUpApiKeys } from '../../src/http/api-keys.js';

describe('API keys', () => {
  it('generates a strong key once, mode 0600, and reuses it', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'tva-key-')), 'nested', 'api-key');
    const first = setUpApiKeys([], [], file);
    expect(first.generated).toMatchObject({ created: true, file });
    expect(first.generated!.key).toMatch(/^tva_[A-Za-z0-9_-]{43}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = setUpApiKeys([], [], file);
    expect(second.generated).toMatchObject({ created: false, key: first.generated!.key });
    expect(readFileSync(file, 'utf8').trim()).toBe(first.generated!.key);
    expect(second.verifier.verify(first.generated!.key)).toBeDefined();
  });

  it('configured keys take precedence and nothing is written', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'tva-key-')), 'api-key');
    const setup = setUpApiKeys(['k1'], [], file);
    expect(setup.generated).toBeUndefined();
    expect(() => statSync(file)).toThrow();
  });

  it('identifies a key by a digest prefix, never the key', () => {
    const verifier = new ApiKeyVerifier(['secret-one', 'secret-two'], []);
    const id = verifier.verify('secret-two')!.id;
    expect(id).toMatch(/^key_[0-9a-f]{12}$/);
    expect(id).not.toContain('secret');
    expect(verifier.verify('secret-one')!.id).not.toBe(id);
    expect(verifier.verify('secret-three')).toBeUndefined();
    expect(verifier.verify('')).toBeUndefined();
    expect(verifier.verify(undefined)).toBeUndefined();
  });
});
