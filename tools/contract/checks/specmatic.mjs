/**
 * Specmatic contract tests against the real service: this check builds and starts the service on a
 * temporary store, seeds it, writes a Specmatic dictionary of the seeded ids (so requests hit real
 * resources), and runs Specmatic's jar (shipped in the `specmatic` npm package) on the spec tools are
 * given. Three runs: every operation but the deletes and those of the third run; a generative run
 * (Specmatic's mutated requests, which must be refused with a documented 4xx) on the operations that
 * take a JSON body, so the run stays in minutes; then, since it deletes, an examples run for the
 * operations whose answer depends on state (one resource per example, lib/specmatic-examples.mjs).
 *
 * Each failing test is either the service's (counted as failed) or matches one of SPECMATIC_LIMITS
 * below: a request the spec allows that no server could answer as Specmatic expects, or a known
 * Specmatic shortcoming. Those are listed in the summary, with the reason, and not counted.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from '../lib/proc.mjs';
import { buildService, seed, startService } from '../lib/service.mjs';
import { buildExamples, EXAMPLE_OPERATIONS } from '../lib/specmatic-examples.mjs';

/** Operations not run at all, with the reason. */
const EXCLUDED = [
  { path: '/api/v1/events', method: 'GET', reason: 'a Server-Sent Events stream never ends; Specmatic waits for a complete body and times out' },
];

/**
 * Failures that are Specmatic's, not the service's: matched on the run, the test name and the
 * failure text. Each one is a request the spec allows whose answer depends on state Specmatic does
 * not model, or a Specmatic reading of the spec that no server could satisfy. Keep them narrow: a
 * limit that matched a real failure would hide it.
 */
export const SPECMATIC_LIMITS = [
  {
    runs: ['generative'],
    test: /^POST \/api\/v1\/projects -> 20[01]/,
    message: /expected status 20[01] but response contained status 20[01]/,
    reason: 'two success statuses for one request (201 new, 200 already registered) and one generated body for both (the examples run tests each)',
  },
  {
    runs: ['generative'],
    test: /Idempotency-Key is mutated from string to number/,
    message: /Expected 4xx status, but received 20[01]/,
    reason: 'a header is always text: the "number" Specmatic sends (e.g. `401`) is a valid key to the service (only Specmatic\'s copy asks for 32+ characters, to stop its keys colliding), so the create rightly succeeds',
  },
  {
    test: /^PATCH \/api\/v1\/tasks\/\(task_id:\w+\) -> 200/,
    message: /expected status 200 but response contained status 409/,
    reason: "the status chosen by Specmatic is not an allowed transition from the task's current status (task-mcp's state machine; documented 409)",
  },
  {
    runs: ['examples'],
    test: /^GET \/assets\/\(asset:string\) -> 200$/,
    message: /expected status 200 but response contained status 404/,
    reason: "an SVG or font file under a made-up name: today's web app build has none (its scripts and styles are tested by examples), so 404 is right",
  },
  {
    test: /^GET \/api\/openapi\.json -> 200/,
    message: /\.example/,
    reason: "inside the open `paths` object Specmatic expects every list's items to look like its first (a `$ref` parameter after a named one 'lacks' `name`; a string after a null 'mismatches'): the body is this very spec, valid OpenAPI",
  },
];

const jar = (ctx) => path.join(ctx.suiteDir, 'node_modules', 'specmatic', 'specmatic.jar');

/**
 * Specmatic's copy of the spec only, narrowed to requests Specmatic would otherwise get wrong (each a
 * subset of what the spec allows, so nothing it then sends is outside the contract):
 * - (pinIds) the path ids may take the seeded ids alone. Without this its boundary tests also send
 *   the smallest and the largest id the spec allows, which name no seeded resource and rightly get
 *   a 404. (Specmatic's --overlay-file did not apply to component parameters.)
 * - `priority` is one value, not a list: Specmatic repeats a list parameter up to five times whatever
 *   its `maxItems` (3 here), and the service rightly refuses the fourth.
 * - `Idempotency-Key` is at least 32 characters: Specmatic's random keys are often one character
 *   long, so two different requests share a key, and the service rightly answers 422 to the second.
 *   (The price: its "number instead of string" mutation then looks invalid to it; see the limits.)
 * Throws when a parameter is not where this expects it, so a spec change cannot silently undo it.
 */
export function specmaticCopy(specText, ids, { pinIds = true } = {}) {
  let text = specText;
  /** `schema` is the new flow-style schema, or a function of the old one. */
  const replaceSchema = (param, schema) => {
    const re = new RegExp(`(\\n    ${param}:\\n(?:      .*\\n)*?      schema: )(\\{[^}\\n]*\\})`);
    if (!re.test(text)) throw new Error(`components.parameters.${param}.schema not found as one flow line in the spec`);
    text = text.replace(re, (_, head, old) => head + (typeof schema === 'function' ? schema(old) : schema));
  };
  if (pinIds) {
    replaceSchema('TaskIdPath', `{ type: integer, enum: [${ids.scratchTaskId}] }`);
    replaceSchema('EntityIdPath', `{ type: integer, enum: [${ids.entityId}] }`);
  }
  replaceSchema('IdempotencyKey', (old) => {
    if (!/minLength: 1,/.test(old)) throw new Error(`components.parameters.IdempotencyKey.schema has no minLength: 1 to raise: ${old}`);
    return old.replace('minLength: 1,', 'minLength: 32,');
  });
  const priority = /(\n    PriorityFilter:\n(?:      .*\n)*?      schema:\n)        type: array\n        maxItems: 3\n        items: (\{ \$ref: '#\/components\/schemas\/Priority' \})\n/;
  if (!priority.test(text)) throw new Error('components.parameters.PriorityFilter.schema is not the array of Priority this expects');
  text = text.replace(priority, '$1        $2\n');
  return text;
}

/**
 * Seeded ids for path and query parameters and for ids inside request bodies, plus values Specmatic
 * cannot derive from the schema: a `sort` that names each key once (the spec says so in words; its
 * pattern cannot) and `If-Match: *` (any current version), since Specmatic cannot know an ETag.
 */
function dictionary(ids) {
  return {
    PARAMETERS: {
      PATH: { task_id: ids.scratchTaskId, entity_id: ids.entityId, project_id: ids.projectId },
      QUERY: { project_id: ids.projectId, workspace_path: ids.workspace, parent_task_id: ids.parentTaskId, root_task_id: ids.parentTaskId, tag: ids.tag, tags: ids.tag, sort: '-created_at,id' },
      HEADER: { 'If-Match': '*' },
    },
    TaskCreate: { parent_task_id: ids.parentTaskId, depends_on: [ids.taskId] },
    TaskUpdate: { parent_task_id: ids.parentTaskId, depends_on: [ids.taskId] },
    ProjectCreate: { workspace_path: ids.workspace },
  };
}

export function parseJunit(xml) {
  const tests = [];
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const name = (/\sname="([^"]*)"/.exec(m[1])?.[1] ?? '?').replace(/^.*?Scenario: /, '');
    const body = m[2] ?? '';
    const failure = /<(failure|error)\b[^>]*?(?:message="([^"]*)")?[^>]*>([\s\S]*?)<\/\1>|<(failure|error)\b[^>]*?message="([^"]*)"[^>]*\/>/.exec(body);
    const skipped = /<skipped\b/.test(body);
    const decode = (s) => (s ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#10;/g, '\n').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    const text = failure ? decode((failure[2] ?? failure[5] ?? '') + '\n' + (failure[3] ?? '')).replace(/<!\[CDATA\[|\]\]>/g, '') : '';
    tests.push({ name: decode(name), failed: Boolean(failure), skipped, message: text });
  }
  return tests;
}

/** What went wrong, from Specmatic's failure text: the field and the sentence after the rule. */
export function reasonOf(message) {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  const where = lines.find((l) => l.startsWith('>> '))?.slice(3) ?? '';
  const what = lines.find((l) => /^(Specification expected|Expected|Key named|Key '|Contract expected)/.test(l)) ?? lines.find((l) => /timed out|refused|Exception/i.test(l)) ?? lines[0] ?? '';
  return where ? `${where}: ${what}` : what;
}

/** Splits failed tests into the service's and Specmatic's own limits. */
export function classify(tests, run) {
  const serviceFailures = [];
  const limits = [];
  for (const t of tests.filter((x) => x.failed)) {
    const limit = SPECMATIC_LIMITS.find((l) => (!l.runs || l.runs.includes(run)) && l.test.test(t.name) && (!l.message || l.message.test(t.message)));
    if (limit) limits.push(`${t.name.slice(0, 160)} — ${limit.reason}`);
    else serviceFailures.push(`${t.name.slice(0, 160)} — ${reasonOf(t.message)}`);
  }
  return { serviceFailures, limits };
}

/**
 * One Specmatic run in its own folder (spec copy, dictionary, config, examples, report, log), so the
 * runs can give Specmatic different spec copies and examples.
 */
async function specmaticRun(ctx, service, workDir, { label, filter, generative, specText, dictionary, examples = [] }) {
  const dir = path.join(workDir, label);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'openapi.yaml'), specText);
  await writeFile(path.join(dir, 'openapi_dictionary.json'), JSON.stringify(dictionary, null, 2));
  const junitDir = path.join(dir, 'junit');
  const args = ['-jar', jar(ctx), 'test', 'openapi.yaml', '--testBaseURL', service.url, '--junitReportDir', junitDir, '--timeout-in-ms', '15000'];
  if (examples.length > 0) {
    const examplesDir = path.join(dir, 'examples');
    await mkdir(examplesDir, { recursive: true });
    for (const e of examples) await writeFile(path.join(examplesDir, `${e.name}.json`), JSON.stringify(e.example, null, 2));
    args.push('--examples', examplesDir);
  }
  if (filter) args.push('--filter', filter);
  const env = {
    ApiKeyAuth: service.key,
    MAX_TEST_REQUEST_COMBINATIONS: '1',
    SPECMATIC_GENERATIVE_TESTS: generative ? 'true' : 'false',
  };
  const config = { version: 2, contracts: [{ provides: ['openapi.yaml'] }], test: { resiliencyTests: { enable: generative ? 'all' : 'none' }, timeoutInMilliseconds: 15000 } };
  await writeFile(path.join(dir, 'specmatic.json'), JSON.stringify(config, null, 2));
  const r = await run('java', ['-Xss4m', ...args], { cwd: dir, env, timeoutMs: Number(process.env.SPECMATIC_RUN_TIMEOUT_MS ?? 300_000) });
  await writeFile(path.join(dir, 'specmatic.log'), r.stdout + r.stderr);
  let tests = [];
  try {
    for (const f of await readdir(junitDir)) if (f.endsWith('.xml')) tests.push(...parseJunit(await readFile(path.join(junitDir, f), 'utf8')));
  } catch {
    // No report: the run itself failed (e.g. the spec was refused), reported below.
  }
  const refused = /Specmatic Test Suite has FAILED|Invalid Regex|Unsuccessful Scenarios:\s*"Specmatic Test Suite FAILED"/.test(r.stdout) && tests.length <= 1;
  return { tests, code: r.code, refused, timedOut: r.timedOut, seconds: Math.round(r.ms / 1000), tail: (r.stdout + r.stderr).slice(-4000) };
}

const operationFilter = (ops) => ops.map((o) => `(METHOD='${o.method}' && PATH='${o.path}')`).join(' || ');

export async function specmatic(ctx) {
  const spec = ctx.specs.at(-1);
  const workDir = path.join(ctx.outDir, 'specmatic');
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  if (!process.env.CONTRACT_SKIP_BUILD) await buildService(ctx.serviceRoot);

  const results = [];
  const service = await startService(ctx.serviceRoot);
  try {
    const ids = await seed(service);
    const specText = await readFile(spec.file, 'utf8');
    const pinned = specmaticCopy(specText, ids);
    const words = dictionary(ids);
    const excluded = EXCLUDED.map((e) => `!(PATH='${e.path}' && METHOD='${e.method}')`).join(' && ');
    const byExamples = operationFilter(EXAMPLE_OPERATIONS);
    const runs = [
      { label: 'contract', specText: pinned, filter: `METHOD!='DELETE' && !(${byExamples})${excluded ? ` && ${excluded}` : ''}` },
      // Generative tests (mutated requests that must be refused) only for the operations with a JSON
      // body: on the list routes' 20 query parameters Specmatic's combinations run for hours.
      { label: 'generative', specText: pinned, filter: `(METHOD='POST' || METHOD='PATCH')`, generative: true },
      // Last, since it deletes: the operations whose answer depends on state, one resource per
      // example (lib/specmatic-examples.mjs). The ids in the examples are not the pinned ones.
      { label: 'examples', specText: specmaticCopy(specText, ids, { pinIds: false }), filter: byExamples, examples: true },
    ];
    // SPECMATIC_RUNS=contract,examples picks runs; SPECMATIC_FILTER narrows every run (debugging one
    // operation without the whole suite).
    const only = process.env.SPECMATIC_RUNS ? process.env.SPECMATIC_RUNS.split(',').map((s) => s.trim()) : undefined;
    const extra = process.env.SPECMATIC_FILTER;
    for (const spec of runs.filter((r) => !only || only.includes(r.label)).map((r) => (extra ? { ...r, filter: `(${r.filter}) && (${extra})` } : r))) {
      const examples = spec.examples ? await buildExamples(service, ids, { label: spec.label, webAssetsDir: path.join(ctx.serviceRoot, 'clients', 'task-viewer-web', 'dist', 'assets') }) : [];
      const out = await specmaticRun(ctx, service, workDir, { ...spec, dictionary: words, examples });
      const { serviceFailures: service_failures, limits } = classify(out.tests, spec.label);
      const passed = out.tests.filter((x) => !x.failed && !x.skipped).length;
      const ok = !out.refused && !out.timedOut && out.tests.length > 0 && service_failures.length === 0;
      results.push({
        name: `specmatic ${spec.label}`,
        ok,
        passed,
        failed: ok ? 0 : Math.max(service_failures.length, 1),
        detail: out.refused
          ? 'Specmatic refused the spec'
          : `${out.tests.length} tests: ${passed} passed, ${service_failures.length} failed (the service's), ${limits.length} Specmatic limits (${out.seconds} s)`,
        counts: { tests: out.tests.length, passed, service_failures: service_failures.length, specmatic_limits: limits.length },
        findings: service_failures,
        specmatic_limits: limits,
        log: ok ? undefined : out.tests.length === 0 || out.refused ? out.tail : undefined,
      });
    }
    results.push({ name: 'specmatic excluded', ok: true, passed: 0, failed: 0, detail: EXCLUDED.map((e) => `${e.method} ${e.path}: ${e.reason}`).join('; ') });
  } finally {
    await service.stop();
  }
  return results;
}
