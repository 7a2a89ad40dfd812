/**
 * express-openapi-validator 5.6 finds a request's operation by compiling every route of the spec with
 * `path-to-regexp` on every request, until one matches (`lookupRoute` in its openapi.metadata.js; the
 * upstream fix is its open PR #1217). Compiling is a pure function of the pattern and its options,
 * so this memoizes it on the module instance the validator resolves: same regexps, same keys, compiled
 * once. Measured on the uncached task list (10 connections, 2 cores): 405-409 -> 420-452 req/s. Remove
 * it once the validator caches its own routes.
 */
import { createRequire } from 'node:module';

type Compile = (path: string, options?: Record<string, unknown>) => { regexp: RegExp; keys: unknown[] };

const requireFromValidator = createRequire(createRequire(import.meta.url).resolve('express-openapi-validator'));
const pathToRegexpModule = requireFromValidator('path-to-regexp') as { pathToRegexp: Compile & { memoized?: true } };

/** Installs the cache once per process (idempotent). Returns false when the module has an unexpected shape. */
export function cacheValidatorRoutes(): boolean {
  const original = pathToRegexpModule.pathToRegexp;
  if (typeof original !== 'function') return false;
  if (original.memoized) return true;
  const compiled = new Map<string, ReturnType<Compile>>();
  const memoized: Compile & { memoized?: true } = (path, options = {}) => {
    // Only string patterns are cached; the spec's routes are strings, other callers pass through.
    if (typeof path !== 'string') return original(path, options);
    const key = `${path}\0${JSON.stringify(options)}`;
    let hit = compiled.get(key);
    if (!hit) {
      hit = original(path, options);
      // The spec has a few dozen routes; a bound keeps a caller with endless patterns from growing it.
      if (compiled.size < 1000) compiled.set(key, hit);
    }
    return hit;
  };
  memoized.memoized = true;
  pathToRegexpModule.pathToRegexp = memoized;
  return true;
}
