// Builds only what is missing or stale, so `npm start` after `npm ci` (which runs this once, via
// `prepare`) starts at once. "Stale" is judged by the sources' content, not their modification
// times: `npm run generate` or a fresh checkout rewrite files with identical bytes, and an mtime rule
// would rebuild the server and the web app (a minute on a busy machine) for nothing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** A digest of the paths' contents (files and folders, recursively, in a stable order). */
function digestOf(paths) {
  const hash = createHash('sha256');
  const walk = (rel) => {
    const abs = path.join(root, rel);
    if (!existsSync(abs)) return;
    if (statSync(abs).isDirectory()) {
      for (const name of readdirSync(abs).sort()) if (name !== 'node_modules' && name !== 'dist') walk(path.join(rel, name));
    } else hash.update(rel).update('\0').update(readFileSync(abs)).update('\0');
  };
  for (const p of paths) walk(p);
  return hash.digest('hex');
}

const run = (script) => {
  const r = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

/** Runs `script` when `output` is missing or the sources changed since the digest kept in `stamp`. */
function ensure({ script, output, stamp, sources }) {
  const digest = digestOf(sources);
  const stampPath = path.join(root, stamp);
  mkdirSync(path.dirname(stampPath), { recursive: true });
  const current = existsSync(stampPath) ? readFileSync(stampPath, 'utf8').trim() : '';
  if (existsSync(path.join(root, output)) && current === digest) return;
  run(script);
  // Digest again: a build may itself write sources (the client package generates its types).
  writeFileSync(stampPath, `${digestOf(sources)}\n`);
}

ensure({
  script: 'build:server',
  output: 'dist/src/main.js',
  stamp: 'dist/.sources-digest',
  sources: ['src', 'generated', 'scripts', 'bench', 'openapi.yaml', 'package.json', 'tsconfig.json', 'tsconfig.build.json'],
});
const web = 'clients/task-viewer-web';
ensure({
  script: 'build:web',
  output: `${web}/dist/index.html`,
  // Not inside the web app's dist/: Vite empties it on every build, also on builds not made from here.
  stamp: 'dist/.web-sources-digest',
  sources: [`${web}/src`, `${web}/index.html`, `${web}/vite.config.ts`, `${web}/package.json`, 'clients/task-viewer-client/src', 'generated'],
});
