import { defineConfig } from 'vitest/config';

// `npm run test:live`: contract tests against the real GitHub and Railway (docs/live-conformance.md).
// Each suite skips, saying which variables to set, when its credentials are absent.
export default defineConfig({
  test: {
    include: ['test/live/**/*.live.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 5 * 60_000,
    // One at a time: they share a Railway account's and a repository's budgets.
    fileParallelism: false,
  },
});
