import { defineConfig } from 'vitest/config';

const common = {
  testTimeout: 60_000,
  hookTimeout: 120_000,
  pool: 'forks' as const,
  // End-to-end tests run the real bin: dist/ is built from the current sources first.
  globalSetup: ['test/global-setup.ts'],
};

/** Files that time what they run: alone, after everything else, so other files do not slow them. */
const TIMED = ['test/hooks/pre-commit.test.ts'];

export default defineConfig({
  test: {
    projects: [
      // Most files wait on kubectl, git or a CLI process much of the time; two at once keep both cores
      // busy (vitest's default on 2 CPUs is one).
      { test: { ...common, name: 'suite', include: ['test/**/*.test.ts'], exclude: TIMED, maxWorkers: 2 } },
      { test: { ...common, name: 'timed', include: TIMED, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
