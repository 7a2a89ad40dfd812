/**
 * Spectral with the `spectral:oas` ruleset on the source spec and on the flattened bundle: a spec passes
 * with 0 errors (warnings are reported, not failed).
 */
import path from 'node:path';
import { run } from '../lib/proc.mjs';

export async function spectral(ctx) {
  const results = [];
  for (const spec of ctx.specs) {
    const out = path.join(ctx.outDir, `spectral-${spec.name}.json`);
    const r = await run(ctx.bin('spectral'), ['lint', spec.file, '--ruleset', path.join(ctx.suiteDir, '.spectral.yaml'), '-f', 'json', '-o', out, '--fail-severity', 'error', '-q'], {
      cwd: ctx.suiteDir,
      timeoutMs: 120_000,
    });
    let findings = [];
    try {
      findings = JSON.parse(await ctx.readText(out));
    } catch {
      // No report: counted as an error below.
    }
    const errors = findings.filter((f) => f.severity === 0);
    const warnings = findings.filter((f) => f.severity === 1);
    const ok = errors.length === 0 && (r.code === 0 || r.code === 1) && findings !== null;
    results.push({
      name: `spectral ${spec.name}`,
      ok: ok && r.code === 0,
      detail: `${errors.length} errors, ${warnings.length} warnings`,
      counts: { errors: errors.length, warnings: warnings.length },
      findings: findings.map((f) => `${['error', 'warn', 'info', 'hint'][f.severity]} ${f.code} ${f.path.join('.')}: ${f.message}`),
      log: r.code !== 0 && !errors.length ? r.stderr.slice(-2000) : undefined,
    });
  }
  return results;
}
