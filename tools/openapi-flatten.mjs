#!/usr/bin/env node
/**
 * Writes generated/openapi.flat.yaml: openapi.yaml with every closed `allOf` composition merged into
 * one object schema that says `additionalProperties: false`.
 *
 * Why: openapi.yaml reuses field sets (TaskFields, EntityFields, ...) through `allOf` and closes the
 * result with `unevaluatedProperties: false`. That is exact JSON Schema 2020-12, but tools without
 * `unevaluatedProperties` (Prism, typed-openapi, openapi-zod-client's validators, ...) then see open
 * objects. The flat copy means the same thing in every tool. Everything else (paths, examples,
 * formatting) is copied unchanged; the field-set components used only inside `allOf` are dropped.
 *
 * `node tools/openapi-flatten.mjs` writes the file; `--check` only compares and exits 1 when stale.
 * Runs with the root install (it needs `yaml`), before any tool suite is installed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, parseDocument, YAMLMap, YAMLSeq } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = path.join(root, 'openapi.yaml');
const TARGET = path.join(root, 'generated', 'openapi.flat.yaml');
const REF_PREFIX = '#/components/schemas/';
/** Keywords an allOf member may carry; anything else would need real merging logic, so it stops the run. */
const MEMBER_KEYS = new Set(['$ref', 'type', 'properties', 'required', 'description']);

/** Returns the flattened document's text for the source text. */
export function flattenOpenApi(sourceText) {
  const doc = parseDocument(sourceText);
  const schemas = doc.getIn(['components', 'schemas']);
  const fragments = new Set();
  const done = new Map();

  const flatten = (name, trail = []) => {
    if (done.has(name)) return done.get(name);
    if (trail.includes(name)) throw new Error(`allOf cycle: ${[...trail, name].join(' -> ')}`);
    const node = schemas.get(name, true);
    if (!isMap(node)) throw new Error(`components.schemas.${name} is missing or not a map`);
    if (!node.has('allOf')) {
      done.set(name, node);
      return node;
    }
    if (node.get('unevaluatedProperties') !== false) {
      throw new Error(`components.schemas.${name}: allOf without unevaluatedProperties: false is not flattened (add support first)`);
    }
    const properties = new YAMLMap();
    const required = [];
    for (const member of node.get('allOf', true).items) {
      let part = member;
      if (member.has('$ref')) {
        const ref = member.get('$ref');
        if (typeof ref !== 'string' || !ref.startsWith(REF_PREFIX)) throw new Error(`${name}: unsupported $ref ${ref}`);
        if (member.items.length > 1) throw new Error(`${name}: an allOf member has keywords beside $ref`);
        const target = ref.slice(REF_PREFIX.length);
        fragments.add(target);
        part = flatten(target, [...trail, name]);
      }
      for (const pair of part.items) {
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
        if (!MEMBER_KEYS.has(key)) throw new Error(`${name}: allOf member keyword "${key}" is not supported by the flattener`);
      }
      const type = part.get('type');
      if (type !== undefined && type !== 'object') throw new Error(`${name}: an allOf member has type ${type}`);
      for (const pair of part.get('properties', true)?.items ?? []) {
        const key = pair.key.value;
        if (properties.has(key)) throw new Error(`${name}: property ${key} is declared by two allOf members`);
        properties.add(doc.createPair(key, pair.value.clone()));
      }
      for (const item of part.get('required', true)?.items ?? []) {
        const r = isScalar(item) ? item.value : item;
        if (!required.includes(r)) required.push(r);
      }
    }
    const flat = new YAMLMap();
    for (const pair of node.items) {
      const key = pair.key.value;
      if (key === 'allOf' || key === 'unevaluatedProperties' || key === 'example') continue;
      flat.add(doc.createPair(key, pair.value.clone()));
    }
    flat.set('type', 'object');
    if (required.length) {
      const seq = new YAMLSeq();
      seq.flow = true;
      for (const r of required) seq.add(r);
      flat.set('required', seq);
    }
    flat.set('additionalProperties', false);
    flat.set('properties', properties);
    // The component-level example goes last, as in the source.
    if (node.has('example')) flat.set('example', node.get('example', true).clone());
    schemas.set(name, flat);
    done.set(name, flat);
    return flat;
  };

  for (const pair of schemas.items) flatten(pair.key.value);

  // Drop field sets that only existed to be composed; keep any that something still references.
  const referenced = new Set();
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === '$ref' && typeof child === 'string' && child.startsWith(REF_PREFIX)) referenced.add(child.slice(REF_PREFIX.length));
        else walk(child);
      }
    }
  };
  walk(doc.toJS());
  for (const name of fragments) if (!referenced.has(name)) schemas.delete(name);
  doc.commentBefore =
    ' GENERATED from openapi.yaml by tools/openapi-flatten.mjs (npm run generate): do not edit.\n' +
    ' The same contract with every allOf composition merged into one closed object (additionalProperties: false),\n' +
    ' for tools that do not implement unevaluatedProperties. docs/decisions/0006-flattened-openapi-bundle.md says why.';
  return doc.toString({ lineWidth: 0, doubleQuotedAsJSON: true });
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const flat = flattenOpenApi(readFileSync(SOURCE, 'utf8'));
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(TARGET, 'utf8');
    } catch {}
    if (current !== flat) {
      console.error(`${path.relative(root, TARGET)} is stale: run npm run generate and commit it`);
      process.exit(1);
    }
    console.log(`${path.relative(root, TARGET)} is fresh`);
  } else {
    writeFileSync(TARGET, flat);
    console.log(`openapi.yaml -> ${path.relative(root, TARGET)}`);
  }
}
