// Build: generate the API's types from the repository's openapi.yaml into the package (so the packed
// package is self-contained), then compile to dist/ (ESM + .d.ts) with the repository's TypeScript.
//
// Same generator as the root's `npm run generate` (generated/openapi.ts), with one difference for a
// client: a request field that has a default (TaskCreate.status) stays optional
// (--default-non-nullable false); the server's copy marks it required because the validator fills it in.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const root = path.resolve(pkg, '../..');
const spec = path.join(root, 'openapi.yaml');
if (!existsSync(spec)) throw new Error(`missing ${spec}`);
mkdirSync(path.join(pkg, 'src', 'generated'), { recursive: true });
const generator = path.join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
const gen = spawnSync(process.execPath, [generator, spec, '--default-non-nullable', 'false', '-o', path.join(pkg, 'src', 'generated', 'openapi.ts')], { stdio: ['ignore', 'ignore', 'inherit'] });
if (gen.status !== 0) process.exit(gen.status ?? 1);
rmSync(path.join(pkg, 'dist'), { recursive: true, force: true });

const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const run = spawnSync(process.execPath, [tsc, '-p', path.join(pkg, 'tsconfig.json')], { stdio: 'inherit' });
process.exit(run.status ?? 1);
