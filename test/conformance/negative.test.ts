/**
 * Negative requests generated from openapi.yaml: for every operation, every parameter and every
 * request-body field gets invalid values derived from its schema (outside the enum, out of range, too
 * short or long, pattern violated, wrong type, too many items), required parameters and fields go
 * missing, and unknown query parameters and body fields are added. Each must get a 4xx the operation
 * documents, in the spec's error format, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHEABLE_OPERATIONS } from '../../src/http/response-cache.js';
import { type Harness, startHarness } from '../helpers/api-harness.js';
import { seedProject } from '../helpers/seed.js';
import {
  type Defaults,
  type RequestOptions,
  type SpecOperation,
  VALID_BODY,
  deref,
  documentedStatuses,
  expectConforms,
  parametersOf,
  requestBodySchema,
  send,
  specOperations,
} from './contract.js';

interface Mutation {
  name: string;
  options: RequestOptions;
}

type Value = string | number | boolean | null | unknown[] | Record<string, unknown>;

/** Schema-derived invalid values: [label, value]. `inUrl` values must survive a URL (no empty path segment). */
function invalidValues(schemaRef: any, where: 'path' | 'query' | 'header' | 'body'): Array<[string, Value]> {
  const schema = deref(schemaRef) ?? {};
  const out: Array<[string, Value]> = [];
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (schema.enum) out.push(['not in the enum', 'definitely-not-a-valid-value']);
  // Unions (e.g. entity metadata: object, array, string, number or boolean) only refuse what is outside all of them.
  const single = types.length === 1;
  if (single && (types.includes('integer') || types.includes('number'))) {
    out.push(['not a number', 'abc']);
    if (types.includes('integer')) out.push(['not an integer', 1.5]);
    if (schema.minimum !== undefined) out.push([`below minimum ${schema.minimum}`, schema.minimum - 1]);
    if (schema.maximum !== undefined) out.push([`above maximum ${schema.maximum}`, schema.maximum === Number.MAX_SAFE_INTEGER ? '9007199254740993' : schema.maximum + 1]);
  }
  if (types.includes('boolean') && types.length === 1) out.push(['not a boolean', 'maybe']);
  if (types.includes('string') && types.length === 1) {
    if (schema.minLength && where !== 'path' && where !== 'header') out.push(['empty', '']);
    if (schema.maxLength) out.push([`longer than ${schema.maxLength}`, 'x'.repeat(schema.maxLength + 1)]);
    if (schema.pattern) {
      const re = new RegExp(schema.pattern, 'u');
      const bad = ['two words', '   ', 'ZZZZZZZZ'].find((c) => !re.test(c) && c.length >= (schema.minLength ?? 0));
      if (bad !== undefined) out.push([`not matching ${schema.pattern}`, bad]);
    }
    if (where === 'body') out.push(['a number instead of a string', 42]);
  }
  if (single && types.includes('array')) {
    if (where === 'body') out.push(['not an array', 'not-an-array']);
    const item = deref(schema.items);
    if (schema.maxItems !== undefined) {
      const ok = item?.type === 'integer' ? (i: number) => i + 1 : (i: number) => `item${i}`;
      out.push([`more than ${schema.maxItems} items`, Array.from({ length: schema.maxItems + 1 }, (_, i) => ok(i))]);
    }
    for (const [label, value] of invalidValues(item, where === 'body' ? 'body' : 'query')) out.push([`an item ${label}`, [value]]);
  }
  if (where === 'body' && types.length > 1 && !types.includes('null')) out.push(['null', null]);
  return out;
}

function mutations(o: SpecOperation): Mutation[] {
  const list: Mutation[] = [];
  for (const p of parametersOf(o)) {
    if (p.in === 'cookie') continue;
    for (const [label, value] of invalidValues(p.schema, p.in)) {
      const key = `${p.in} ${p.name}: ${label}`;
      if (p.in === 'path') list.push({ name: key, options: { path: { [p.name]: String(value) } } });
      else if (p.in === 'query') list.push({ name: key, options: { query: { [p.name]: value as never } } });
      else if (p.in === 'header') list.push({ name: key, options: { headers: { [p.name]: String(value) } } });
    }
    if (p.required && p.in === 'query') list.push({ name: `query ${p.name}: missing`, options: { query: { [p.name]: undefined } } });
  }
  list.push({ name: 'an unknown query parameter', options: { query: { unknown_parameter: 'x' } } });

  const body = requestBodySchema(o);
  if (body) {
    const valid = VALID_BODY[o.operationId] as Record<string, unknown>;
    const props = { ...(body.properties ?? {}) };
    for (const part of body.allOf ?? []) Object.assign(props, deref(part).properties ?? {});
    for (const required of body.required ?? []) {
      const { [required]: _, ...rest } = valid;
      list.push({ name: `body: required ${required} missing`, options: { body: rest } });
    }
    for (const [name, schema] of Object.entries<any>(props)) {
      for (const [label, value] of invalidValues(schema, 'body')) list.push({ name: `body ${name}: ${label}`, options: { body: { ...valid, [name]: value } } });
    }
    list.push({ name: 'body: an unknown field', options: { body: { ...valid, unknown_field: 1 } } });
    list.push({ name: 'body: an array instead of an object', options: { body: [valid] } });
    list.push({ name: 'body: empty object', options: { body: {} } });
    list.push({ name: 'body: missing', options: { body: undefined } });
    list.push({ name: 'body: malformed JSON', options: { raw: { type: 'application/json', data: '{"title": ' } } });
  }
  return list;
}

const cases = specOperations().flatMap((o) => mutations(o).map((m) => ({ o, m, label: `${o.operationId} — ${m.name}` })));

describe('negative requests generated from the spec', () => {
  let h: Harness;
  let d: Defaults;
  beforeAll(async () => {
    // The response cache is on and warm: an invalid request must never be answered from it.
    h = await startHarness({ CACHE_TTL_MS: '600000' });
    const s = await seedProject(h.call, h.tmp);
    await h.runtime.services.resolver.refresh();
    // Write operations aim at scratch resources, in case an invalid request were ever accepted.
    const task = await h.call('create_task', { workspace_path: s.workspace, title: 'Negative-suite target' });
    const entity = await h.call('create_entity', { workspace_path: s.workspace, entity_type: 'other', name: 'Negative-suite target' });
    d = { projectId: s.projectId, path: { project_id: s.projectId, task_id: task.id, entity_id: entity.id } };
    for (const o of specOperations().filter((x) => x.method === 'get' && CACHEABLE_OPERATIONS.has(x.operationId))) await send(h.request, o, d).expect(200);
  });
  afterAll(() => h?.close());

  it('generates cases for every operation', () => {
    const covered = new Set(cases.map((c) => c.o.operationId));
    expect(specOperations().filter((o) => !covered.has(o.operationId)).map((o) => o.operationId)).toEqual([]);
    expect(cases.length).toBeGreaterThan(300);
  });

  it.each(cases.map((c) => [c.label, c] as const))('%s', async (_label, { o, m }) => {
    const res = await send(h.request, o, d, m.options);
    const documented4xx = documentedStatuses(o).filter((st) => st >= 400 && st < 500);
    expect(res.status, `${o.operationId} ${m.name}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(documented4xx, `${o.operationId} ${m.name}: got ${res.status}, documented ${documented4xx.join(',')}: ${JSON.stringify(res.body).slice(0, 300)}`).toContain(res.status);
    expectConforms(o, res.status, res);
  });
});
