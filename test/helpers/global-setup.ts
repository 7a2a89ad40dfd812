import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Compile the project once so tests can spawn the real built MCP server (`dist/`) and `npm start`.
 * Type errors are reported by `npm run typecheck` (a separate CI step); here we only need the emitted JS.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const run = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) process.stderr.write(`tsc reported problems (tests continue):\n${run.stdout}${run.stderr}`);
  // Then what `npm start` would build (the web app, the digests it compares), so a test that runs
  // `npm start` starts at once instead of building.
  const ensure = spawnSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: root, encoding: 'utf8' });
  if (ensure.status !== 0) process.stderr.write(`ensure-built reported problems (tests continue):\n${ensure.stdout}${ensure.stderr}`);
  if (!existsSync(`${root}/dist/src/taskmcp/stdio-main.js`)) {
    throw new Error('build did not produce dist/src/taskmcp/stdio-main.js');
  }
}
