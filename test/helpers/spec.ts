/** The operations openapi.yaml declares, for tests that must cover every one of them. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { OPENAPI_PATH } from '../../src/version.js';

export interface SpecOperation {
  path: string;
  method: string;
  operationId: string;
  secured: boolean;
  operation: any;
}

export const spec = parse(readFileSync(OPENAPI_PATH, 'utf8'));

export function specOperations(): SpecOperation[] {
  const ops: SpecOperation[] = [];
  for (const [path, item] of Object.entries<any>(spec.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const operation = item[method];
      if (!operation) continue;
      const security = operation.security ?? spec.security ?? [];
      ops.push({ path, method, operationId: operation.operationId, secured: security.length > 0, operation });
    }
  }
  return ops;
}

/** A concrete URL for an operation path: path parameters filled with plausible values. */
export function concretePath(path: string, values: Record<string, string | number> = {}): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => String(values[name] ?? (name === 'project_id' ? 'deadbeef' : 1)));
}
