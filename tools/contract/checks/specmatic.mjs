/**
 * Specmatic contract tests against the real service: this check builds and starts the service on a
 * temporary store, seeds it, writes a Specmatic dictionary of the seeded ids (so requests hit real
 * resources), and runs Specmatic's jar (shipped in the `specmatic` npm package) on the spec tools are
 * given. Two runs: every operation but the deletes, then the deletes (so nothing is deleted before the
 * reads that need it). A third, generative run (Specmatic's mutated requests, which must be refused
 * with a documented 4xx) covers the operations that take a JSON body, so the run stays in minutes.
 *
 * Each failing test is either the service's (counted as failed) or matches one of SPECMATIC_LIMITS
 * below: a request the spec allows that no server could answer as Specmatic expects, or a known
 * Specmatic shortcoming. Those are listed in the summary, with the reason, and not counted.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from '../lib/proc.mjs';
import { buildService, seed, startService } from '../lib/service.mjs';

/** Operations not run at all, with the reason. */
const EXCLUDED = [
  { path: '/api/v1/events', method: 'GET', reason: 'a Server-Sent Events stream never ends; Specmatic waits for a complete body and times out' },
];

/**
 * Failures that are Specmatic's, not the service's: matched on the test name and failure text. Each
 * one is a request the spec allows whose answer depends on state Specmatic does not model, or a
 * Specmatic reading of the spec that no server could satisfy.
 */
export const SPECMATIC_LIMITS = [
  {
    test: /If-Match/,
    message: /expected status 20\d but response contained status 412/,
    reason: 'Specmatic sends a made-up If-Match value; the service rightly answers 412 (it cannot know the ETag in advance)',
  },
  {
    test: /PUT \/api\/v1\/tasks\/\(task_id:\w+\)\/entities\/\(entity_id:\w+\) -> 20[01]|POST \/api\/v1\/projects -> 20[01]/,
    message: /expected status 20[01] but response contained status 20[01]/,
    reason: 'two success statuses for one request (201 new, 200 already there); which one depends on what ran before',
  },
  {
    test: /PATCH \/api\/v1\/tasks\/\(task_id:\w+\) -> 200/,
    message: /expected status 200 but response contained status 409/,
    reason: "the status chosen by Specmatic is not an allowed transition from the task's current status (task-mcp's state machine; documented 409)",
  },
  {
    test: /GET \/assets\/\(asset:string\) -> 200/,
    message: /expected status 200 but response contained status 404/,
    reason: 'Specmatic invents a file name; only built, content-hashed web app files exist (documented 404)',
  },
  {
    test: /GET \/api\/docs\/\(asset:string\) -> 200/,
    message: /Content-Type/,
    reason: 'one response with two media types (CSS and JavaScript files): Specmatic expects the first for every asset name',
  },
  {
    test: /GET \/api\/openapi\.json -> 200/,
    message: /\.example/,
    reason: "Specmatic checks the served OpenAPI document against the schema's own example values instead of the open `info`/`paths` objects",
  },
];

const jar = (ctx) => path.join(ctx.suiteDir, 'node_modules', 'specmatic', 'specmatic.jar');

/**
 * Specmatic's copy of the spec only: the path ids may take the seeded ids alone. Without this its
 * boundary tests also send the smallest and the largest id the spec allows, which name no seeded
 * resource and rightly get a 404. (Specmatic's --overlay-file did not apply to component parameters.)
 * Throws when the parameter is not where this expects it, so a spec change cannot silently undo it.
 */
export function pinPathIds(specText, ids) {
  let text = specText;
  for (const [param, id] of [
    ['TaskIdPath', ids.scratchTaskId],
    ['EntityIdPath', ids.entityId],
  ]) {
    const re = new RegExp(`(\\n    ${param}:\\n(?:      .*\\n)*?      schema: )\\{[^}\\n]*\\}`);
    if (!re.test(text)) throw new Error(`components.parameters.${param}.schema not found as one flow line in the spec`);
    text = text.replace(re, `$1{ type: integer, enum: [${id}] }`);
  }
  return text;
}

/** Seeded ids for path and query parameters and for ids inside request bodies. */
function dictionary(ids) {
  return {
    PARAMETERS: {
      PATH: { task_id: ids.scratchTaskId, entity_id: ids.entityId, project_id: ids.projectId },
      QUERY: { project_id: ids.projectId, workspace_path: ids.workspace, parent_task_id: ids.parentTaskId, root_task_id: ids.parentTaskId, tag: ids.tag, tags: ids.tag },
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
    tests.push({ name: decode(name), failed: Boolean(failure), skipped, message: failure ? decode((failure[2] ?? failure[5] ?? '') + '\n' + (failure[3] ?? '')) : '' });
  }
  return tests;
}

/** What went wrong, from Specmatic's failure text: the field and the sentence after the rule. */
export function reasonOf(message) {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  const where = lines.find((l) => l.startsWith('>> '))?.slice(3) ?? '';
  const what = lines.find((l) => /^(Specification expected|Expected|Key named|Contract expected)/.test(l)) ?? lines.find((l) => /timed out|refused|Exception/i.test(l)) ?? lines[0] ?? '';
  return where ? `${where}: ${what}` : what;
}

/** Splits failed tests into the service's and Specmatic's own limits. */
export function classify(tests) {
  const serviceFailures = [];
  const limits = [];
  for (const t of tests.filter((x) => x.failed)) {
    const limit = SPECMATIC_LIMITS.find((l) => l.test.test(t.name) && (!l.message || l.message.test(t.message)));
    if (limit) limits.push(`${t.name.slice(0, 160)} — ${limit.reason}`);
    else serviceFailures.push(`${t.name.slice(0, 160)} — ${reasonOf(t.message)}`);
  }
  return { serviceFailures, limits };
}

async function specmaticRun(ctx, service, workDir, { label, filter, generative }) {
  const junitDir = path.join(workDir, `junit-${label}`);
  await rm(junitDir, { recursive: true, force: true });
  const args = ['-jar', jar(ctx), 'test', 'openapi.yaml', '--testBaseURL', service.url, '--junitReportDir', junitDir, '--timeout-in-ms', '15000'];
  if (filter) args.push('--filter', filter);
  const env = {
    ApiKeyAuth: service.key,
    MAX_TEST_REQUEST_COMBINATIONS: '1',
    SPECMATIC_GENERATIVE_TESTS: generative ? 'true' : 'false',
  };
  const config = { version: 2, contracts: [{ provides: ['openapi.yaml'] }], test: { resiliencyTests: { enable: generative ? 'all' : 'none' }, timeoutInMilliseconds: 15000 } };
  await writeFile(path.join(workDir, 'specmatic.json'), JSON.stringify(config, null, 2));
  const r = await run('java', ['-Xss4m', ...args], { cwd: workDir, env, timeoutMs: Number(process.env.SPECMATIC_RUN_TIMEOUT_MS ?? 300_000) });
  await writeFile(path.join(workDir, `specmatic-${label}.log`), r.stdout + r.stderr);
  let tests = [];
  try {
    for (const f of await readdir(junitDir)) if (f.endsWith('.xml')) tests.push(...parseJunit(await readFile(path.join(junitDir, f), 'utf8')));
  } catch {
    // No report: the run itself failed (e.g. the spec was refused), reported below.
  }
  const refused = /Specmatic Test Suite has FAILED|Invalid Regex|Unsuccessful Scenarios:\s*"Specmatic Test Suite FAILED"/.test(r.stdout) && tests.length <= 1;
  return { tests, code: r.code, refused, timedOut: r.timedOut, seconds: Math.round(r.ms / 1000), tail: (r.stdout + r.stderr).slice(-4000) };
}

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
    await writeFile(path.join(workDir, 'openapi_dictionary.json'), JSON.stringify(dictionary(ids), null, 2));
    await writeFile(path.join(workDir, 'openapi.yaml'), pinPathIds(await readFile(spec.file, 'utf8'), ids));
    const exclude = EXCLUDED.map((e) => `!(PATH='${e.path}' && METHOD='${e.method}')`).join(' && ');
    const runs = [
      { label: 'contract', filter: `METHOD!='DELETE'${exclude ? ` && ${exclude}` : ''}` },
      { label: 'deletes', filter: `METHOD='DELETE'` },
      // Generative tests (mutated requests that must be refused) only for the operations with a JSON
      // body: on the list routes' 20 query parameters Specmatic's combinations run for hours.
      { label: 'generative', filter: `(METHOD='POST' || METHOD='PATCH')`, generative: true },
    ];
    for (const spec of runs) {
      const out = await specmaticRun(ctx, service, workDir, spec);
      const { serviceFailures: service_failures, limits } = classify(out.tests);
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
