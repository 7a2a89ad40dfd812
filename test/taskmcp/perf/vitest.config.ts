/**
 * Measurement scripts of the embedded server (not part of `npm test`): figures, no pass/fail on timing.
 *   npx vitest run --config test/taskmcp/perf/vitest.config.ts [file]
 * TASKMCP_BASELINE_DIST=/path/to/an/older/dist also measures that build, for before/after rows.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../../..', import.meta.url).pathname,
    include: ['test/taskmcp/perf/**/*.perf.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default'],
  },
});
