/**
 * Checks on a parsed JSON body that JSON Schema cannot express, made before anything else touches it:
 * nesting depth (a body nested thousands deep breaks every recursive step after parsing — the
 * validator, fingerprints, the MCP serialiser) and lone UTF-16 surrogates (they cannot be stored as
 * UTF-8 and would be silently replaced). Both are the request's fault: a 400 naming the problem.
 */
import type { RequestHandler } from 'express';
import { InvalidInputError } from '../domain/errors.js';

/** Far deeper than any body of this API needs (the deepest is a few levels). */
export const MAX_JSON_DEPTH = 32;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (s: string) => !LONE_SURROGATE.test(s);

/** The first problem in `value`, walking iteratively (no recursion, so any depth is safe to inspect). */
export function jsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 0 }];
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (!wellFormed(v)) return 'contains a lone UTF-16 surrogate (\\ud800-\\udfff) that is not text';
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return `is nested more than ${maxDepth} levels deep`;
    if (Array.isArray(v)) for (const item of v) stack.push({ v: item, depth: depth + 1 });
    else
      for (const [key, item] of Object.entries(v)) {
        if (!wellFormed(key)) return 'has a key with a lone UTF-16 surrogate';
        stack.push({ v: item, depth: depth + 1 });
      }
  }
  return undefined;
}

export function checkJsonBody(): RequestHandler {
  return (req, _res, next) => {
    if (req.body === undefined) return next();
    const problem = jsonProblem(req.body);
    next(problem ? new InvalidInputError(`The request body ${problem}`, [{ field: 'body', message: problem }], 'invalid_json') : undefined);
  };
}
