import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Compile the project once so tests can spawn the real built MCP server (`dist/`).
 * Type errors are reported by `npm run typecheck` (a separate CI step); here we only need the emitted JS.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const run = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) process.stderr.write(`tsc reported problems (tests continue):\n${run.stdout}${run.stderr}`);
  if (!existsSync(`${root}/dist/src/taskmcp/stdio-main.js`)) {
    throw new Error('build did not produce dist/src/taskmcp/stdio-main.js');
  }
}
