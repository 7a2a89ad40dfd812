/** Unit tests of the web app's pure modules (URL state, filters, paging, errors, shortcuts): Node, no browser. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'web',
    root: import.meta.dirname,
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
