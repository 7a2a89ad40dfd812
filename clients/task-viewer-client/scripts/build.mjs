// Build: generate the API's types from the repository's openapi.yaml into the package (so the packed
// package is self-contained), then compile to dist/ (ESM + .d.ts) with the repository's TypeScript.
//
// Same generator as the root's `npm run generate` (generated/openapi.ts), with one difference for a
// client: a request field that has a default (TaskCreate.status) stays optional
// (--default-non-nullable false); the server's copy marks it required because the validator fills it in.
//
// The web app (clients/task-viewer-web) builds against dist/ while tests may pack this package at the
// same time, so the types and dist/ are written next to their place and renamed in: a reader sees the
// old or the new build, never a half-written or missing one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const root = path.resolve(pkg, '../..');
const spec = path.join(root, 'openapi.yaml');
if (!existsSync(spec)) throw new Error(`missing ${spec}`);
mkdirSync(path.join(pkg, 'src', 'generated'), { recursive: true });
const generator = path.join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
const types = path.join(pkg, 'src', 'generated', 'openapi.ts');
const typesTmp = `${types}.${process.pid}.tmp`;
const gen = spawnSync(process.execPath, [generator, spec, '--default-non-nullable', 'false', '-o', typesTmp], { stdio: ['ignore', 'ignore', 'inherit'] });
if (gen.status !== 0) {
  rmSync(typesTmp, { force: true });
  process.exit(gen.status ?? 1);
}
renameSync(typesTmp, types);

const dist = path.join(pkg, 'dist');
const distTmp = path.join(pkg, `dist.${process.pid}.tmp`);
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const run = spawnSync(process.execPath, [tsc, '-p', path.join(pkg, 'tsconfig.json'), '--outDir', distTmp], { stdio: 'inherit' });
if (run.status !== 0) {
  rmSync(distTmp, { recursive: true, force: true });
  process.exit(run.status ?? 1);
}
// Swap: the old dist/ is moved aside first, so dist/ is missing only between two renames. Another
// build may swap in between (its dist/ then appears under our feet): move that aside too and retry.
const old = path.join(pkg, `dist.${process.pid}.old`);
for (let attempt = 1; ; attempt++) {
  try {
    if (existsSync(dist)) renameSync(dist, `${old}${attempt}`);
    renameSync(distTmp, dist);
    break;
  } catch (err) {
    if (attempt >= 5 || !['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes(err.code)) throw err;
  }
}
for (let attempt = 1; attempt <= 5; attempt++) rmSync(`${old}${attempt}`, { recursive: true, force: true });
