import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most files wait on kubectl, git or a CLI process much of the time; two at once keep both cores
    // busy (vitest's default on 2 CPUs is one). No test asserts on wall time, so none needs to run alone.
    maxWorkers: 2,
    // End-to-end tests run the real bin: dist/ is built from the current sources first.
    globalSetup: ['test/global-setup.ts'],
  },
});
