/** The validator's route patterns are compiled once: same answers as path-to-regexp itself, from a cache. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { cacheValidatorRoutes } from '../../src/http/validator-route-cache.js';

const fromValidator = createRequire(createRequire(import.meta.url).resolve('express-openapi-validator'));
const ptr = fromValidator('path-to-regexp') as { pathToRegexp: (p: string, o?: object) => { regexp: RegExp; keys: Array<{ name: string }> } };

describe('validator route cache', () => {
  it('compiles a pattern once per options and matches exactly as before', () => {
    const before = ptr.pathToRegexp('/api/v1/tasks/:task_id/entities/:entity_id', { sensitive: false, strict: false });
    expect(cacheValidatorRoutes()).toBe(true);
    expect(cacheValidatorRoutes()).toBe(true); // idempotent
    const first = ptr.pathToRegexp('/api/v1/tasks/:task_id/entities/:entity_id', { sensitive: false, strict: false });
    const again = ptr.pathToRegexp('/api/v1/tasks/:task_id/entities/:entity_id', { sensitive: false, strict: false });
    expect(again).toBe(first);
    expect(first.regexp.source).toBe(before.regexp.source);
    expect(first.regexp.flags).toBe(before.regexp.flags);
    expect(first.keys.map((k) => k.name)).toEqual(['task_id', 'entity_id']);
    for (const path of ['/api/v1/tasks/3/entities/9', '/API/V1/TASKS/3/entities/9', '/api/v1/tasks/3', '/api/v1/tasks/3/entities/9/x']) {
      expect(first.regexp.exec(path)?.slice(1) ?? null, path).toEqual(before.regexp.exec(path)?.slice(1) ?? null);
    }
    // Other options are another entry.
    expect(ptr.pathToRegexp('/api/v1/tasks/:task_id/entities/:entity_id', { sensitive: true, strict: false })).not.toBe(first);
  });
});
