import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Build what is stale, exactly as `npm start` would (scripts/ensure-built.mjs: the server's `dist/` and
 * the web app, judged by their sources' digests), so tests can spawn the real built MCP server and a
 * test that runs `npm start` starts at once. Type errors are reported by `npm run typecheck` (a
 * separate CI step); tsc emits the JS anyway, which is all the tests need.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const ensure = spawnSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: root, encoding: 'utf8' });
  if (ensure.status !== 0) process.stderr.write(`the build reported problems (tests continue):\n${ensure.stdout}${ensure.stderr}`);
  if (!existsSync(`${root}/dist/src/taskmcp/stdio-main.js`)) {
    throw new Error('build did not produce dist/src/taskmcp/stdio-main.js');
  }
}
