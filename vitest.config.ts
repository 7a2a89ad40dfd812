import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'service',
          include: ['test/**/*.test.ts'],
          // Child processes (stdio MCP servers) run from the compiled build: build once before any test.
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      // The web app's unit tests (pure modules; its browser tests are in test/web).
      'clients/task-viewer-web/vitest.config.ts',
    ],
  },
});
