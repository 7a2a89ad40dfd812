import { defineConfig } from 'vitest/config';

const service = {
  // Child processes (stdio MCP servers) run from the compiled build: build once before any test.
  globalSetup: ['test/helpers/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
};

/**
 * Three suites: `service` (npm test: the API, the MCP layer, faults, conformance), `web` (the web
 * app's unit tests, also in npm test) and `browser` (real Chromium against the real service:
 * npm run test:browser). .ci/run runs all of them.
 */
export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      { test: { ...service, name: 'service', include: ['test/**/*.test.ts'], exclude: ['test/**/*.browser.test.ts'] } },
      'clients/task-viewer-web/vitest.config.ts',
      { test: { ...service, name: 'browser', include: ['test/**/*.browser.test.ts'], testTimeout: 120_000 } },
    ],
  },
});
