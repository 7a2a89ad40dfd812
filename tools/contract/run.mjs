#!/usr/bin/env node
/**
 * The third-party OpenAPI tool suite (npm run test:contract-tools from the repository root):
 *   bundle      generated/openapi.flat.yaml is fresh and means the same as openapi.yaml
 *   spectral    Spectral `spectral:oas` on both specs: 0 errors
 *   generators  @hey-api/openapi-ts, orval, openapi-zod-client: clients that type-check under strict
 *   specmatic   Specmatic contract tests against the service, started here on seeded temp data
 * Installs its own dependencies (tools/contract/package-lock.json) when they are missing or stale,
 * and builds the service (npm run build) before starting it.
 *
 * Prints one line per check and a closing "contract-tools: N passed, N failed"; writes the same as
 * JSON to tools/contract/out/summary.json (per tool: passed, failed, counts, findings).
 *
 * Environment (all optional): CONTRACT_CHECKS=bundle,spectral,generators,specmatic (which to run);
 * CONTRACT_SPEC / CONTRACT_FLAT (other spec files, e.g. an older revision to measure);
 * CONTRACT_SERVICE_ROOT (a checkout whose built service to start; default this repository).
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, stopAll } from './lib/proc.mjs';

const suiteDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(suiteDir, '..', '..');
const outDir = path.join(suiteDir, 'out');
const t0 = Date.now();

async function ensureInstalled() {
  const marker = path.join(suiteDir, 'node_modules', '.package-lock.json');
  const lock = path.join(suiteDir, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('installing the tool suite (npm ci in tools/contract) ...');
  const r = await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: suiteDir, timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`npm ci in tools/contract failed:\n${r.stderr.slice(-3000)}`);
}

const source = path.resolve(process.env.CONTRACT_SPEC ?? path.join(repoRoot, 'openapi.yaml'));
const flat = path.resolve(process.env.CONTRACT_FLAT ?? path.join(repoRoot, 'generated', 'openapi.flat.yaml'));
const ctx = {
  suiteDir,
  repoRoot,
  outDir,
  source,
  flat,
  specs: [
    { name: 'source', file: source },
    ...(existsSync(flat) ? [{ name: 'flat', file: flat }] : []),
  ],
  serviceRoot: path.resolve(process.env.CONTRACT_SERVICE_ROOT ?? repoRoot),
  bin: (name) => path.join(suiteDir, 'node_modules', '.bin', name),
  readText: (file) => readFile(file, 'utf8'),
};

const CHECKS = {
  bundle: async () => (await import('./checks/bundle.mjs')).bundle(ctx),
  spectral: async () => (await import('./checks/spectral.mjs')).spectral(ctx),
  generators: async () => (await import('./checks/generators.mjs')).generators(ctx),
  specmatic: async () => (await import('./checks/specmatic.mjs')).specmatic(ctx),
};
const wanted = (process.env.CONTRACT_CHECKS ?? Object.keys(CHECKS).join(',')).split(',').map((s) => s.trim()).filter(Boolean);

async function main() {
  await mkdir(outDir, { recursive: true });
  await ensureInstalled();
  const summary = { started_at: new Date(t0).toISOString(), source: path.relative(repoRoot, source), flat: path.relative(repoRoot, flat), tools: {}, passed: 0, failed: 0 };
  for (const tool of wanted) {
    if (!CHECKS[tool]) throw new Error(`unknown check ${tool} (known: ${Object.keys(CHECKS).join(', ')})`);
    const started = Date.now();
    let results;
    try {
      results = await CHECKS[tool]();
    } catch (err) {
      results = [{ name: tool, ok: false, detail: `crashed: ${err?.message ?? err}`, log: err?.stack }];
    }
    const entry = { passed: 0, failed: 0, seconds: Math.round((Date.now() - started) / 100) / 10, results };
    for (const r of results) {
      // A result counts as one check unless it carries its own test counts (Specmatic).
      entry.passed += r.passed ?? (r.ok ? 1 : 0);
      entry.failed += r.failed ?? (r.ok ? 0 : 1);
      const mark = r.ok ? 'ok  ' : 'FAIL';
      console.log(`${mark} ${r.name}: ${r.detail}`);
      if (!r.ok) for (const f of (r.findings ?? []).slice(0, 40)) console.log(`       ${f}`);
      if (!r.ok && r.log) console.log(r.log.split('\n').map((l) => `       | ${l}`).join('\n'));
    }
    summary.tools[tool] = entry;
    summary.passed += entry.passed;
    summary.failed += entry.failed;
  }
  summary.seconds = Math.round((Date.now() - t0) / 100) / 10;
  await writeFile(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log(`\nsummary: ${path.relative(repoRoot, path.join(outDir, 'summary.json'))} (${summary.seconds} s)`);
  for (const [tool, e] of Object.entries(summary.tools)) console.log(`  ${tool.padEnd(11)} ${e.passed} passed, ${e.failed} failed (${e.seconds} s)`);
  console.log(`contract-tools: ${summary.passed} passed, ${summary.failed} failed`);
  return summary.failed === 0 ? 0 : 1;
}

main()
  .then((code) => {
    stopAll();
    process.exit(code);
  })
  .catch((err) => {
    console.error(err?.stack ?? err);
    console.log('contract-tools: 0 passed, 1 failed');
    stopAll();
    process.exit(1);
  });

