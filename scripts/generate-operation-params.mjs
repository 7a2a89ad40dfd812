// Writes generated/operation-params.ts from openapi.yaml: per operationId, the `default` of each query
// parameter, the names of its header parameters, and whether it names a workspace (takes
// `workspace_path`). openapi-typescript's types carry none of this; the typed routes use it to apply
// defaults (no handler restates `?? 50`), to hand handlers their headers, and to resolve the
// workspace once per request.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const spec = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8'));
const deref = (node) => {
  let n = node;
  while (n && n.$ref) n = n.$ref.slice(2).split('/').reduce((o, k) => o[k], spec);
  return n;
};

const lines = [];
const ops = [];
for (const item of Object.values(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (['get', 'put', 'post', 'patch', 'delete'].includes(method)) ops.push(op);
  }
}
for (const op of ops.sort((a, b) => (a.operationId < b.operationId ? -1 : 1))) {
  const params = (op.parameters ?? []).map(deref);
  const defaults = params
    .filter((p) => p.in === 'query' && 'default' in (deref(p.schema) ?? {}))
    .map((p) => `${p.name}: ${JSON.stringify(deref(p.schema).default)}`);
  const headers = params.filter((p) => p.in === 'header').map((p) => JSON.stringify(p.name));
  const workspace = params.some((p) => p.in === 'query' && p.name === 'workspace_path');
  lines.push(`  ${op.operationId}: { defaults: {${defaults.length ? ` ${defaults.join(', ')} ` : ''}}, headers: [${headers.join(', ')}], workspace: ${workspace} },`);
}
writeFileSync(
  new URL('../generated/operation-params.ts', import.meta.url),
  `/** Generated from openapi.yaml by scripts/generate-operation-params.mjs (npm run generate): do not edit. */\nexport const OPERATION_PARAMS = {\n${lines.join('\n')}\n} as const;\n`,
);
