/**
 * Contract conformance helpers: the spec's operations and documented statuses, a validator for
 * responses (body against the documented schema, documented headers present and well-formed, content
 * type documented), and a request builder that fills in a valid request for any operation.
 */
// ajv and ajv-formats come with express-openapi-validator (the same validator the service uses).
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import type supertest from 'supertest';
import { expect } from 'vitest';
import { API_KEY } from '../helpers/api-harness.js';
import { type SpecOperation, concretePath, spec, specOperations } from '../helpers/spec.js';

export { spec, specOperations, type SpecOperation };

/** Resolves a local `$ref` ('#/components/...') of the spec. */
export function deref<T = any>(node: any): T {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    current = current.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((obj: any, key: string) => obj?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  }
  return current as T;
}

/** Every (operation, documented status) pair of the spec. */
export function documentedStatuses(op: SpecOperation): number[] {
  return Object.keys(op.operation.responses ?? {}).map(Number).sort((a, b) => a - b);
}

export function parametersOf(op: SpecOperation): any[] {
  const pathItem = spec.paths[op.path];
  return [...(pathItem.parameters ?? []), ...(op.operation.parameters ?? [])].map((p: any) => deref(p));
}

export const hasParam = (op: SpecOperation, name: string, where?: string) =>
  parametersOf(op).some((p) => p.name === name && (!where || p.in === where));

export function requestBodySchema(op: SpecOperation): any | undefined {
  const body = deref(op.operation.requestBody);
  const schema = body?.content?.['application/json']?.schema;
  return schema ? deref(schema) : undefined;
}

// One Ajv for the whole spec: component refs resolve inside the document registered as "spec".
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
// A CommonJS module: its default export is module.exports under NodeNext.
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ?? formatsModule) as unknown as (a: Ajv2020) => void;
addFormats(ajv);
const rewrite = (node: any): any => {
  if (Array.isArray(node)) return node.map(rewrite);
  if (node && typeof node === 'object') {
    const out: any = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `spec${v}` : rewrite(v);
    return out;
  }
  return node;
};
ajv.addSchema({ $id: 'spec', components: rewrite({ schemas: spec.components.schemas }) });
const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
function validatorFor(key: string, schema: any) {
  let v = compiled.get(key);
  if (!v) {
    v = ajv.compile(rewrite(schema));
    compiled.set(key, v);
  }
  return v;
}

/** Checks one response against what the spec documents for (operation, status). */
export function expectConforms(op: SpecOperation, status: number, res: supertest.Response): void {
  const where = `${op.operationId} ${status}`;
  expect(res.status, `${where}: got ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`).toBe(status);
  const documented = deref(op.operation.responses[String(status)]);
  expect(documented, `${where} is not documented`).toBeDefined();

  // Documented headers are present and of their documented type.
  for (const [name, header] of Object.entries<any>(documented.headers ?? {})) {
    const value = res.headers[name.toLowerCase()];
    expect(value, `${where}: header ${name} missing`).toBeDefined();
    const type = deref(header).schema?.type;
    if (type === 'integer') expect(value, `${where}: header ${name}`).toMatch(/^\d+$/);
    else expect(String(value).length, `${where}: header ${name} empty`).toBeGreaterThan(0);
  }

  const content = documented.content as Record<string, { schema?: any }> | undefined;
  if (!content) {
    // 204 / 304: no body at all.
    expect(res.text ?? '', `${where}: body where none is documented`).toBe('');
    return;
  }
  const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
  expect(Object.keys(content), `${where}: content type ${type} not documented`).toContain(type);
  if (type === 'application/json') {
    const validate = validatorFor(`${op.operationId}:${status}`, content[type]!.schema);
    const ok = validate(res.body);
    expect(ok, `${where}: body does not match the schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.body).slice(0, 500)}`).toBe(true);
    if (content[type]!.schema?.$ref === '#/components/schemas/Error') expect(res.body.status_code, `${where}: status_code`).toBe(status);
  } else {
    expect(typeof res.text, `${where}: text body`).toBe('string');
  }
}

export interface RequestOptions {
  path?: Record<string, string | number>;
  /** Query string parts; `undefined` values drop a default. */
  query?: Record<string, string | number | boolean | Array<string | number> | undefined>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Raw body with its content type (e.g. text/plain). */
  raw?: { type: string; data: string };
  /** API key to send; null sends none. */
  key?: string | null;
}

export interface Defaults {
  path: Record<string, string | number>;
  projectId: string;
}

/** A valid body for each operation that takes one. */
export const VALID_BODY: Record<string, unknown> = {
  createTask: { title: 'Conformance task' },
  updateTask: { title: 'Conformance task (renamed)' },
  createEntity: { entity_type: 'other', name: 'Conformance entity' },
  updateEntity: { name: 'Conformance entity (renamed)' },
  updateProject: { friendly_name: 'Conformance' },
  // Not registered and not under an allowed root: the server must look it up (so a slow backend shows).
  createProject: { workspace_path: '/tmp/tva-conformance-elsewhere/project' },
};

/** Builds and sends a request for `op`: valid by default (project scope, required params, a body), with overrides. */
export function send(request: ReturnType<typeof supertest>, op: SpecOperation, defaults: Defaults, options: RequestOptions = {}): supertest.Test {
  const pathValues = { asset: 'docs-init.js', ...defaults.path, ...options.path };
  const query: NonNullable<RequestOptions['query']> = {};
  if (hasParam(op, 'project_id', 'query')) query.project_id = defaults.projectId;
  if (hasParam(op, 'q', 'query')) query.q = 'api';
  Object.assign(query, options.query);
  const qs = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((one) => `${encodeURIComponent(k)}=${encodeURIComponent(String(one))}`))
    .join('&');
  const url = concretePath(op.path, pathValues) + (qs ? `?${qs}` : '');
  let req = (request as any)[op.method](url) as supertest.Test;
  const key = options.key === undefined ? API_KEY : options.key;
  if (key !== null) req = req.set('X-API-Key', key);
  for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
  if (options.raw) return req.set('Content-Type', options.raw.type).send(options.raw.data);
  const body = 'body' in options ? options.body : VALID_BODY[op.operationId];
  return body === undefined ? req : req.send(body as object);
}

/** The operation with this operationId. */
export function op(operationId: string): SpecOperation {
  const found = specOperations().find((o) => o.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId} in openapi.yaml`);
  return found;
}
