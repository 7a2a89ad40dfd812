/**
 * openapi.yaml documents every operation completely and consistently: summary, description, declared
 * tags, examples for request bodies and responses (each valid against its schema), and the statuses
 * that follow from what the operation takes (If-Match -> 412, ETag on a GET -> 304, a body -> 400/413/415,
 * Idempotency-Key -> 422, workspace_path -> 403, a key -> 401, the versioned API -> 429/503/504).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { deref, documentedStatuses, hasParam, spec, specOperations } from './contract.js';

const ops = specOperations();
const declaredTags = new Set((spec.tags ?? []).map((t: { name: string }) => t.name));

describe('openapi.yaml documentation', () => {
  it.each(ops.map((o) => [o.operationId, o] as const))('%s has a summary, a description and declared tags', (_id, o) => {
    expect(o.operation.summary?.trim()).toBeTruthy();
    expect(o.operation.description?.trim()).toBeTruthy();
    expect(o.operation.tags?.length).toBeGreaterThan(0);
    for (const tag of o.operation.tags) expect(declaredTags).toContain(tag);
  });

  it.each(ops.map((o) => [o.operationId, o] as const))('%s has examples for its request body and every response with content', (_id, o) => {
    const missing: string[] = [];
    const body = deref(o.operation.requestBody);
    for (const [type, media] of Object.entries<any>(body?.content ?? {})) if (media.example === undefined && !media.examples) missing.push(`request ${type}`);
    for (const [status, ref] of Object.entries<any>(o.operation.responses)) {
      for (const [type, media] of Object.entries<any>(deref(ref).content ?? {})) if (media.example === undefined && !media.examples) missing.push(`${status} ${type}`);
    }
    expect(missing).toEqual([]);
  });

  it('every JSON example validates against its schema', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const rewrite = (node: any): any =>
      Array.isArray(node)
        ? node.map(rewrite)
        : node && typeof node === 'object'
          ? Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? `spec${v}` : rewrite(v)]))
          : node;
    ajv.addSchema({ $id: 'spec', components: rewrite({ schemas: spec.components.schemas }) });
    const problems: string[] = [];
    const check = (where: string, media: any) => {
      if (!media?.schema) return;
      const examples = media.example !== undefined ? [media.example] : Object.values<any>(media.examples ?? {}).map((e) => deref(e).value);
      const validate = ajv.compile(rewrite(media.schema));
      for (const example of examples) if (!validate(example)) problems.push(`${where}: ${ajv.errorsText(validate.errors)}`);
    };
    for (const o of ops) {
      check(`${o.operationId} request`, deref(o.operation.requestBody)?.content?.['application/json']);
      for (const [status, ref] of Object.entries<any>(o.operation.responses)) check(`${o.operationId} ${status}`, deref(ref).content?.['application/json']);
    }
    expect(problems).toEqual([]);
  });

  it.each(ops.map((o) => [o.operationId, o] as const))('%s documents the statuses that follow from its parameters', (_id, o) => {
    const statuses = documentedStatuses(o);
    const need = (status: number, why: string) => expect(statuses, `${o.operationId} should document ${status} (${why})`).toContain(status);
    need(400, 'unknown query parameters are refused');
    if (o.secured) need(401, 'it needs an API key');
    if (hasParam(o, 'If-Match', 'header')) need(412, 'it takes If-Match');
    if (hasParam(o, 'If-None-Match', 'header')) need(304, 'it takes If-None-Match');
    const okHeaders = deref(o.operation.responses['200'] ?? o.operation.responses['201'])?.headers ?? {};
    if (o.method === 'get' && okHeaders.ETag) {
      need(304, 'it returns an ETag');
      expect(hasParam(o, 'If-None-Match', 'header'), `${o.operationId} returns an ETag but takes no If-None-Match`).toBe(true);
    }
    if (o.operation.requestBody) [413, 415].forEach((st) => need(st, 'it takes a JSON body'));
    if (hasParam(o, 'Idempotency-Key', 'header')) need(422, 'it takes an Idempotency-Key');
    if (hasParam(o, 'workspace_path', 'query')) need(403, 'it takes a workspace_path');
    if (o.path.startsWith('/api/v1/') && o.method !== 'get' && o.operation['x-calls-backend'] !== false) need(403, 'read-only keys may not change anything');
    if (o.path.includes('{project_id}')) need(403, 'project-bound keys may not name other projects');
    if (/\{(task_id|entity_id|project_id)\}/.test(o.path) || hasParam(o, 'project_id', 'query')) need(404, 'it names a resource or project');
    if (o.path.startsWith('/api/v1/')) need(429, 'the versioned API is rate limited');
    // Operations marked x-calls-backend: false answer from the service alone (no MCP, no store).
    if (o.path.startsWith('/api/v1/') && o.operation['x-calls-backend'] !== false) [503, 504].forEach((st) => need(st, 'it calls MCP'));
  });
});
