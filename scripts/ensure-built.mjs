// `npm start` builds only what is missing or older than its sources, so a start after `npm ci`
// (which builds everything once, via `prepare`) is immediate.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** The newest modification time under these paths (files and folders, recursively). */
function newest(...paths) {
  let max = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules' && name !== 'dist') walk(path.join(p, name));
    } else max = Math.max(max, st.mtimeMs);
  };
  for (const p of paths) walk(path.join(root, p));
  return max;
}
const mtime = (p) => (existsSync(path.join(root, p)) ? statSync(path.join(root, p)).mtimeMs : 0);
const run = (script) => {
  const r = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (mtime('dist/src/main.js') < newest('src', 'bench', 'generated', 'openapi.yaml', 'package.json', 'tsconfig.json', 'tsconfig.build.json')) run('build:server');
const web = 'clients/task-viewer-web';
if (mtime(`${web}/dist/index.html`) < newest(`${web}/src`, `${web}/index.html`, `${web}/vite.config.ts`, 'clients/task-viewer-client/src', 'generated')) run('build:web');
