/**
 * Client generator matrix: each generator builds a client from the spec that tools are given (the
 * flattened bundle, or the source when there is none); the client plus a small consumer
 * (usage/<generator>.ts and usage/shapes.ts) must type-check under `strict`, and every
 * `@ts-expect-error` in them must still be an error.
 *
 * openapi-zod-client runs without `--export-types`: with it, a required field that may hold any JSON
 * value (Entity.metadata) is declared `metadata: unknown` while zod 3 infers `z.unknown()` keys as
 * optional, so its own output does not compile. Without it the types are inferred from the schemas.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from '../lib/proc.mjs';

const GENERATORS = [
  {
    name: 'hey-api',
    bin: 'openapi-ts',
    args: (spec, dir) => ['-i', spec, '-o', dir, '-c', '@hey-api/client-fetch', '-s'],
    entry: (dir) => path.join(dir, 'index.ts'),
  },
  {
    name: 'orval',
    bin: 'orval',
    args: (spec, dir) => ['-i', spec, '-o', path.join(dir, 'api.ts'), '--client', 'fetch', '--mode', 'single'],
    entry: (dir) => path.join(dir, 'api.ts'),
  },
  {
    name: 'zod-client',
    bin: 'openapi-zod-client',
    args: (spec, dir) => [spec, '-o', path.join(dir, 'client.ts'), '--export-schemas'],
    entry: (dir) => path.join(dir, 'client.ts'),
  },
];

/** tsc's diagnostics, one per line, paths relative to the suite. */
function diagnostics(text, suiteDir) {
  return text
    .split('\n')
    .filter((l) => /error TS\d+/.test(l))
    .map((l) => l.replace(suiteDir + path.sep, ''));
}

export async function generators(ctx) {
  const results = [];
  for (const spec of [ctx.specs.at(-1)]) {
    for (const g of GENERATORS) {
      const name = `${g.name} ${spec.name}`;
      const dir = path.join(ctx.outDir, 'gen', spec.name, g.name);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      const gen = await run(ctx.bin(g.bin), g.args(spec.file, dir), { cwd: ctx.suiteDir, timeoutMs: 180_000 });
      if (gen.code !== 0) {
        results.push({ name, ok: false, detail: `generation failed (exit ${gen.code})`, log: (gen.stderr || gen.stdout).slice(-3000) });
        continue;
      }
      const usage = path.join(ctx.suiteDir, 'usage');
      const tsconfig = path.join(ctx.outDir, 'gen', spec.name, `tsconfig.${g.name}.json`);
      await writeFile(
        tsconfig,
        JSON.stringify(
          {
            compilerOptions: {
              strict: true,
              noEmit: true,
              target: 'ES2022',
              module: 'ESNext',
              moduleResolution: 'Bundler',
              lib: ['ES2022', 'DOM', 'DOM.Iterable'],
              types: [],
              skipLibCheck: true,
              allowImportingTsExtensions: false,
              paths: { 'generated-client': [g.entry(dir)], 'consumer-types': [path.join(usage, `${g.name}.types.ts`)] },
            },
            files: [path.join(usage, `${g.name}.ts`), path.join(usage, 'shapes.ts')],
          },
          null,
          2,
        ),
      );
      const tsc = await run(ctx.bin('tsc'), ['-p', tsconfig, '--pretty', 'false'], { cwd: ctx.suiteDir, timeoutMs: 240_000 });
      const errors = diagnostics(tsc.stdout + tsc.stderr, ctx.suiteDir);
      const ok = tsc.code === 0 && errors.length === 0;
      results.push({
        name,
        ok,
        detail: ok ? `generated in ${(gen.ms / 1000).toFixed(1)} s, strict type check clean` : `${errors.length} type errors`,
        counts: { type_errors: errors.length },
        findings: errors,
        log: !ok && errors.length === 0 ? (tsc.stdout + tsc.stderr).slice(-3000) : undefined,
      });
    }
  }
  return results;
}
